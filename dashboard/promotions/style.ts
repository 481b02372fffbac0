/** Styles of promotion, membership and review views (appended to the stylesheet). */
export const promotionStyles = `
.stars { display: inline-flex; align-items: center; gap: .35rem; font-size: .9rem; color: var(--muted); }
.stars svg { flex: none; }
.rating-summary { display: grid; grid-template-columns: minmax(8rem, auto) 1fr; gap: 1.5rem; align-items: center; }
.rating-big { font-size: 2.4rem; font-weight: 700; line-height: 1; }
.rating-bars { list-style: none; margin: 0; padding: 0; display: grid; gap: .3rem; }
.rating-bars li { display: grid; grid-template-columns: 3.2rem 1fr 2.5rem; gap: .5rem; align-items: center; font-size: .85rem; color: var(--muted); }
.meter-svg { display: block; }
.review-list { list-style: none; margin: 1rem 0 0; padding: 0; display: grid; gap: 1rem; }
.review { border-top: 1px solid var(--border); padding-top: 1rem; }
.review-head { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; font-size: .9rem; }
.review-body { white-space: pre-line; margin: .5rem 0; overflow-wrap: anywhere; }
.review-images { display: flex; gap: .5rem; flex-wrap: wrap; margin: .25rem 0; }
.review-images img { width: 72px; height: 72px; object-fit: cover; border-radius: 8px; border: 1px solid var(--border); }
.review-reply { background: var(--mute-bg); border-radius: 10px; padding: .6rem .8rem; font-size: .92rem; white-space: pre-line; }
.review-foot { display: flex; gap: .75rem; align-items: center; font-size: .85rem; color: var(--muted); }
.star-choice { display: flex; gap: .5rem; flex-wrap: wrap; border: 0; padding: 0; margin: 0; }
.star-choice label { display: inline-flex; gap: .3rem; align-items: center; border: 1px solid var(--border); border-radius: 99px; padding: .3rem .7rem; cursor: pointer; }
.star-choice input:focus-visible + span { outline: 2px solid var(--accent); outline-offset: 2px; }
.promo-list { list-style: none; margin: .75rem 0; padding: 0; display: grid; gap: .5rem; }
.promo { border: 1px solid var(--border); border-radius: 12px; padding: .65rem .8rem; display: grid; gap: .3rem; background: var(--surface); }
.promo-head { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.promo-flash { border-color: #f0b4ab; background: #fff7f5; }
.promo-group { border-color: #b9dfd7; background: #f4fbf9; }
.promo-tag { font-size: .75rem; font-weight: 700; border-radius: 6px; padding: .1rem .45rem; background: var(--accent-soft); color: var(--accent-dark); }
.promo-flash .promo-tag { background: var(--bad-bg); color: var(--bad); }
.breakdown { width: 100%; border-collapse: collapse; font-size: .9rem; margin-top: .5rem; }
.breakdown th, .breakdown td { text-align: left; padding: .35rem .4rem; border-bottom: 1px solid var(--border); vertical-align: top; }
.breakdown td.amount, .breakdown th.amount { text-align: right; white-space: nowrap; }
.breakdown .saving { color: var(--good); }
.line-shares { list-style: none; margin: .2rem 0 0; padding: 0; font-size: .8rem; color: var(--good); }
.not-applied { margin: .5rem 0 0; padding-left: 1.1rem; font-size: .85rem; color: var(--muted); }
.strike { text-decoration: line-through; color: var(--muted); font-weight: 400; }
.tier-card { display: grid; gap: .6rem; }
.tier-name { font-size: 1.5rem; font-weight: 700; }
.coupon-list { list-style: none; padding: 0; margin: .5rem 0; display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.coupon { border: 1px dashed var(--accent); border-radius: 12px; padding: .6rem .8rem; background: var(--accent-soft); display: grid; gap: .2rem; }
.coupon-used { border-color: var(--border); background: var(--mute-bg); color: var(--muted); }
.coupon code { font-weight: 700; font-size: 1rem; letter-spacing: .05em; }
.apply-row { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; }
.apply-row .field { flex: 1 1 12rem; }
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--border); margin-bottom: 1rem; flex-wrap: wrap; }
.tabs a { padding: .5rem .85rem; border-radius: 10px 10px 0 0; color: var(--muted); text-decoration: none; }
.tabs a[aria-current="page"] { color: var(--text); font-weight: 600; box-shadow: inset 0 -2px 0 var(--accent); }
.form-grid { display: grid; gap: .9rem 1rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.form-grid .wide { grid-column: 1 / -1; }
.field select, .field textarea { font: inherit; padding: .55rem .7rem; border: 1px solid var(--border); border-radius: 10px; background: var(--surface); color: var(--text); }
.field textarea { min-height: 6rem; resize: vertical; }
.stat-row { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.stat-row div { display: grid; }
.stat-row strong { font-size: 1.2rem; }
`;
