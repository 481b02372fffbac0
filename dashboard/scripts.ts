/**
 * The storefront's only JavaScript, inlined (CSP allows inline scripts, and there is no
 * bundler). Everything it does is an enhancement: without it forms have submit buttons
 * thumbnails are links to the full image
 * and the filter panel simply stays open on small screens.
 */
export const clientScript = `
document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
  select.addEventListener('change', function () { select.form.submit(); });
  var button = select.form.querySelector('[data-autosubmit-button]');
  if (button) button.hidden = true;
});
if (window.matchMedia('(max-width: 900px)').matches) {
  document.querySelectorAll('details[data-collapse-narrow]').forEach(function (d) { d.open = false; });
}
document.addEventListener('click', function (event) {
  var thumb = event.target.closest && event.target.closest('a[data-full]');
  var main = document.getElementById('gallery-main');
  if (!thumb || !main) return;
  event.preventDefault();
  main.src = thumb.getAttribute('data-full');
  document.querySelectorAll('a[data-full]').forEach(function (t) {
    t.classList.toggle('active', t === thumb);
  });
});
`;
