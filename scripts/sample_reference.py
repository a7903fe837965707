"""Reference tables behind the generated samples (see ``generate_samples.py``).

Everything here is approximate and written by hand, not copied from an official file:

- the communes themselves are not here: the samples read the real reference table
  (the ``communes-metropole`` snapshot: INSEE codes, names, populations, outlines);
- facility, counter-site and street names are plausible, not an inventory;
- holiday calendars are the French public holidays and the zone B school holidays
  (académie de Normandie) as announced for 2022–2024.
"""

from __future__ import annotations

from datetime import date, timedelta

# Communes with large industrial sites: multiplier on industrial energy use (approx.).
INDUSTRIAL = {
    "76319": 8.0,
    "76497": 6.0,
    "76575": 3.0,
    "76178": 6.0,
    "76322": 3.0,
    "76484": 2.5,
    "76709": 3.0,
    "76561": 2.0,
    "76157": 1.5,
    "76402": 1.5,
}

# Bike counter sites: name, commune, approximate (lat, lon) or None to place near the
# commune centroid, typical bikes a day, commuter share of a working day's traffic.
# Names are plausible places, not the Métropole's counter list.
COUNTER_SITES: list[tuple[str, str, tuple[float, float] | None, int, float]] = [
    ("Pont Boieldieu", "Rouen", (49.4376, 1.0955), 2800, 0.75),
    ("Pont Jeanne-d'Arc", "Rouen", (49.4368, 1.0862), 2200, 0.75),
    ("Pont Corneille", "Rouen", (49.4362, 1.1000), 1900, 0.7),
    ("Pont Guillaume-le-Conquérant", "Rouen", (49.4347, 1.0792), 1200, 0.75),
    ("Pont Gustave-Flaubert", "Rouen", (49.4447, 1.0642), 350, 0.7),
    ("Quai de Paris", "Rouen", (49.4389, 1.0985), 2400, 0.6),
    ("Quai du Havre", "Rouen", (49.4398, 1.0830), 2000, 0.6),
    ("Quai Gaston-Boulet", "Rouen", (49.4440, 1.0733), 900, 0.55),
    ("Rue Jeanne-d'Arc", "Rouen", (49.4427, 1.0902), 1700, 0.7),
    ("Rue de la République", "Rouen", (49.4416, 1.0961), 1500, 0.65),
    ("Boulevard de l'Yser", "Rouen", (49.4471, 1.1008), 1300, 0.8),
    ("Boulevard des Belges", "Rouen", (49.4441, 1.0832), 1400, 0.8),
    ("Avenue du Mont-Riboudet", "Rouen", (49.4499, 1.0701), 800, 0.8),
    ("Avenue Jean-Rondeaux", "Rouen", (49.4281, 1.0772), 900, 0.8),
    ("Avenue de Bretagne", "Rouen", (49.4252, 1.0897), 1000, 0.75),
    ("Île Lacroix", "Rouen", (49.4339, 1.1061), 1100, 0.45),
    ("Route de Darnétal", "Rouen", (49.4442, 1.1248), 500, 0.8),
    ("Rue de Paris", "Sotteville-lès-Rouen", None, 600, 0.75),
    ("Avenue Jean-Jaurès", "Le Petit-Quevilly", None, 700, 0.75),
    ("Avenue Georges-Braque", "Le Grand-Quevilly", None, 350, 0.8),
    ("Technopôle du Madrillet", "Saint-Étienne-du-Rouvray", None, 400, 0.85),
    ("Campus de Mont-Saint-Aignan", "Mont-Saint-Aignan", None, 650, 0.85),
    ("Route de Neufchâtel", "Bois-Guillaume", None, 250, 0.8),
    ("Rue de Longpaon", "Darnétal", None, 150, 0.75),
    ("Vallée du Cailly", "Déville-lès-Rouen", None, 300, 0.6),
    ("Croisset", "Canteleu", None, 200, 0.4),
    ("Seine à Vélo - Oissel", "Oissel-sur-Seine", None, 120, 0.35),
    ("Seine à Vélo - Elbeuf", "Elbeuf", None, 80, 0.35),
    ("Côte de Bonsecours", "Bonsecours", None, 50, 0.5),
]

STREETS = [
    "Rue Victor-Hugo",
    "Rue Jean-Jaurès",
    "Rue de la République",
    "Place de la Mairie",
    "Rue Pasteur",
    "Rue des Écoles",
    "Rue du Général-de-Gaulle",
    "Rue Gambetta",
    "Rue de l'Église",
    "Rue des Tilleuls",
    "Rue du Stade",
    "Rue des Peupliers",
    "Avenue des Canadiens",
    "Rue de la Gare",
    "Rue du Moulin",
    "Chemin des Prés",
    "Rue des Cerisiers",
    "Rue Jules-Ferry",
    "Rue Louise-Michel",
    "Rue Émile-Zola",
    "Rue des Sablons",
    "Rue de la Libération",
    "Rue Anatole-France",
    "Rue du Calvaire",
    "Rue des Lilas",
    "Rue Aristide-Briand",
    "Rue de Verdun",
    "Rue Jean-Moulin",
    "Rue Pierre-Corneille",
    "Rue des Marronniers",
    "Route de Paris",
    "Rue du Bac",
    "Rue Henri-Gadeau-de-Kerville",
    "Place du Marché",
    "Rue des Champs",
    "Rue Voltaire",
]

# equipement_id, equipement, type_equipement, commune, capacite, base daily entries.
FACILITIES: list[tuple[str, str, str, str, int, int]] = [
    ("PAT-01", "Patinoire de l'Île Lacroix", "Patinoire", "Rouen", 600, 380),
    ("SAL-01", "Le 106", "Salle de concert", "Rouen", 1100, 0),
    ("PIS-01", "Piscine de l'Île Lacroix", "Piscine", "Rouen", 700, 620),
    ("PIS-02", "Piscine du Petit-Quevilly", "Piscine", "Le Petit-Quevilly", 400, 330),
    ("PIS-03", "Centre aquatique Eurocéane", "Piscine", "Le Grand-Quevilly", 1200, 950),
    ("PIS-04", "Piscine d'Elbeuf", "Piscine", "Elbeuf", 450, 300),
    ("PIS-05", "Piscine de Sotteville-lès-Rouen", "Piscine", "Sotteville-lès-Rouen", 400, 280),
    ("BIB-01", "Bibliothèque Villon", "Bibliothèque", "Rouen", 250, 420),
    ("BIB-02", "Bibliothèque Simone-de-Beauvoir", "Bibliothèque", "Rouen", 180, 260),
    ("BIB-03", "Médiathèque d'Elbeuf", "Bibliothèque", "Elbeuf", 150, 190),
    ("MUS-01", "Musée des Beaux-Arts de Rouen", "Musée", "Rouen", 1500, 560),
    ("MUS-02", "Musée de la Céramique", "Musée", "Rouen", 200, 90),
    ("MUS-03", "Musée Le Secq des Tournelles", "Musée", "Rouen", 250, 120),
]

# Easter Sunday, from which Easter Monday, Ascension and Whit Monday follow.
EASTER = {
    2019: date(2019, 4, 21),
    2020: date(2020, 4, 12),
    2021: date(2021, 4, 4),
    2022: date(2022, 4, 17),
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
}

# Zone B school holidays: first day off, first day back (exclusive).
SCHOOL_HOLIDAYS_B: list[tuple[date, date]] = [
    (date(2021, 12, 18), date(2022, 1, 3)),
    (date(2022, 2, 12), date(2022, 2, 28)),
    (date(2022, 4, 16), date(2022, 5, 2)),
    (date(2022, 7, 7), date(2022, 9, 1)),
    (date(2022, 10, 22), date(2022, 11, 7)),
    (date(2022, 12, 17), date(2023, 1, 3)),
    (date(2023, 2, 11), date(2023, 2, 27)),
    (date(2023, 4, 15), date(2023, 5, 2)),
    (date(2023, 7, 8), date(2023, 9, 4)),
    (date(2023, 10, 21), date(2023, 11, 6)),
    (date(2023, 12, 23), date(2024, 1, 8)),
    (date(2024, 2, 24), date(2024, 3, 11)),
    (date(2024, 4, 20), date(2024, 5, 6)),
    (date(2024, 7, 6), date(2024, 9, 2)),
    (date(2024, 10, 19), date(2024, 11, 4)),
    (date(2024, 12, 21), date(2025, 1, 6)),
]

# Nuit européenne des musées (Saturday) and Journées européennes du patrimoine (weekend).
NUIT_DES_MUSEES = [date(2022, 5, 14), date(2023, 5, 13), date(2024, 5, 18)]
JOURNEES_PATRIMOINE = [
    date(2022, 9, 17),
    date(2022, 9, 18),
    date(2023, 9, 16),
    date(2023, 9, 17),
    date(2024, 9, 21),
    date(2024, 9, 22),
]


def public_holidays(year: int) -> list[date]:
    """French public holidays (jours fériés) of a year."""
    easter = EASTER[year]
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    return sorted(
        [date(year, m, d) for m, d in fixed] + [easter + timedelta(days=n) for n in (1, 39, 50)]
    )


# French labels of the fields, as a portal shows them.
LABELS = {
    "code_insee": "Code INSEE",
    "nom_commune": "Commune",
    "population": "Population",
    "superficie_km2": "Superficie (km²)",
    "geo_point_2d": "Géolocalisation",
    "id": "Identifiant",
    "name": "Nom",
    "commune": "Commune",
    "installation_date": "Date d'installation",
    "date": "Date",
    "counts": "Comptages",
    "adresse": "Adresse",
    "pavtyp": "Type de point d'apport volontaire",
    "nom_amenageur": "Nom de l'aménageur",
    "id_station_itinerance": "Identifiant station",
    "nom_station": "Nom de la station",
    "adresse_station": "Adresse de la station",
    "code_insee_commune": "Code INSEE commune",
    "coordonneesXY": "Coordonnées [lon, lat]",
    "nbre_pdc": "Nombre de points de charge",
    "id_pdc_itinerance": "Identifiant point de charge",
    "puissance_nominale": "Puissance nominale (kW)",
    "gratuit": "Gratuit",
    "date_maj": "Date de mise à jour",
    "code_commune": "Code commune",
    "annee": "Année",
    "filiere": "Filière",
    "code_grand_secteur": "Grand secteur",
    "conso_totale_mwh": "Consommation totale (MWh)",
    "nb_sites": "Nombre de sites",
    "code_departement": "Code département",
    "equipement_id": "Identifiant équipement",
    "equipement": "Équipement",
    "type_equipement": "Type d'équipement",
    "entrees": "Entrées",
    "ouvert": "Ouvert",
    "capacite": "Capacité",
    "mois": "Mois",
    "route_id": "Identifiant ligne",
    "route_short_name": "Ligne",
    "stop_id": "Identifiant arrêt",
    "stop_name": "Arrêt",
    "montees": "Montées",
    "descentes": "Descentes",
    "num_dau": "Numéro d'autorisation",
    "type_dau": "Type d'autorisation",
    "etat": "État",
    "date_reelle_autorisation": "Date d'autorisation",
    "nb_lgt_crees": "Logements créés",
    "surf_plancher_m2": "Surface de plancher (m²)",
    "type_lgt": "Type de logement",
}
