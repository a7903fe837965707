"""The contribution checker: what ``build_gallery.py new`` and ``validate`` run for a
contributor — the scaffold of a new reuse (:mod:`.scaffold`), the checks of a notebook
or external reuse (:mod:`.checks`) and the report listing every problem at once
(:mod:`.validate`). The build and the dashboards never import it; it uses their one
parameter validator (:mod:`dashboard.schema`) and the data layer's personal-data rule
(:mod:`rouen_opendata.personal_data`)."""
