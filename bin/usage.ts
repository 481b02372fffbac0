/** What `trawl --help` prints: kept apart so that help loads nothing else. */
export const usage = `Usage: trawl <command>

  start                      serve the demo shop, crawl it, and serve the storefront (npm start)
  check [--test]             check prerequisites (Node, Postgres, Redis, Chromium) and migrate
  db migrate                 apply database migrations
  user create --email E --role R [--name N]
                             create an account (admin, operator, merchant, shopper); prints its password once
  user passwd --email E      give an account a new random password (signs it out everywhere)
  user list [--role R]       list accounts
  login [--url URL] [--email E]  sign in to an API and store a personal token for the commands below
  logout | whoami            revoke the stored token | show who the CLI acts as

  Through the API (token from \`trawl login\`, or TRAWL_TOKEN; TRAWL_API_URL picks the API):
  site add FILE              create a site from a JSON site definition, or replace its rules
  site list [--json]         list sites
  site show NAME             print a site's rules
  crawl SITE [--wait]        start a crawl of SITE; --wait follows it with a progress bar
  crawl status RUN_ID [--watch]  print a run's status and counters (--watch: live progress)
  crawl pause|resume|cancel RUN_ID  pause, resume or cancel a run on every node
  extract INPUT [--rules FILE] [--render] [--format json|benchmark]
                             extract products from a URL, an HTML file or a directory of them
  api                        serve the API and storefront on HOST:PORT
  search reindex|sync        rebuild the search engine's index from the catalog, or send it pending changes
  worker crawl|ingest|scheduler|orders|webhooks|search-sync
                             run a crawler node, an ingest worker, a scheduler, order and promotion timers,
                             price alert webhooks or the Meilisearch sync
                             (any number of each, anywhere)

Configuration comes from environment variables; see README.md.`;
