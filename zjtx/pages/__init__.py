"""The pages of the site, rendered from the register's view of the day: the plan of pages (plan.py), each page
(page.py), the Jinja environment (environment.py), the enterprise tables (tables.py), the column's pages
(column.py), the charts (charts.py), the pages about the downloads (downloads.py), and the rendering (render.py)."""
