"""Generate the sample datasets the Métropole does not publish (or whose fields are unread).

Each sample is written as the Opendatasoft portal exports it (CSV: ``;``, UTF-8 with BOM,
``\\n`` lines, geo_point_2d as ``"lat, lon"``; parquet for the hourly bike counts) into
``data/snapshots/<key>/`` with its ``meta.json``. Titles, licences, fields and provenance
come from ``data/registry.yaml``: every record there is flagged ``generated``.
The communes, their populations and outlines are the real ones, read from the data
folder's ``communes-metropole`` snapshot (``scripts/import_real_data.py``): generated
points lie inside the outline of the commune they name.

Deterministic: one SEED, one numpy Generator per dataset derived from (SEED, key), fixed
dates in the metadata. ``tests/test_generated_samples.py`` regenerates and compares.

Usage: ``python scripts/generate_samples.py [--data-dir DIR] [--gtfs-dir DIR] [--only KEY…]``
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sample_reference as ref
import shapely

SEED = 76540
FETCHED_AT = "2025-01-06T00:00:00+00:00"
MODIFIED = "2025-01-06T00:00:00+00:00"
TZ = "Europe/Paris"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMMUNES = pd.DataFrame()
"""The real communes reference (the ``communes-metropole`` snapshot), read by :func:`main`."""
BY_NAME = pd.DataFrame()
KEYWORDS = {
    "eco-counter-sites": ["vélo", "compteurs", "mobilité"],
    "eco-counter-data": ["vélo", "compteurs", "comptage horaire"],
    "bornes-irve": ["IRVE", "recharge", "véhicule électrique"],
    "energie-communes": ["énergie", "électricité", "gaz"],
    "frequentation-equipements": ["fréquentation", "piscine", "musée", "patinoire"],
    "astuce-montees-descentes": ["Astuce", "transports en commun", "fréquentation"],
    "permis-construire": ["urbanisme", "logement", "Sitadel"],
}
log = logging.getLogger("generate_samples")


def rng_for(key: str) -> np.random.Generator:
    """A generator per dataset, so adding a dataset leaves the others unchanged."""
    return np.random.default_rng([SEED, zlib.crc32(key.encode())])


def geo(lat: np.ndarray, lon: np.ndarray) -> list[str]:
    return [f"{round(float(a), 6)}, {round(float(b), 6)}" for a, b in zip(lat, lon, strict=True)]


def near(rng: np.random.Generator, communes: pd.Series, spread: float = 0.6):
    """Random points inside each commune's real outline, in a disc around its interior point.

    The disc's radius is ``spread`` times that of a disc as large as the commune; draws
    outside the outline are drawn again, so every point lies in the commune it names.
    """
    rows = BY_NAME.loc[communes.to_numpy()]
    radius = spread * np.sqrt(rows["superficie_km2"].to_numpy() / np.pi)
    lat, lon = np.empty(len(rows)), np.empty(len(rows))
    todo = np.arange(len(rows))
    while len(todo):
        dist = radius[todo] * np.sqrt(rng.random(len(todo)))
        angle = rng.random(len(todo)) * 2 * np.pi
        lat[todo] = rows["lat"].to_numpy()[todo] + dist * np.cos(angle) / 111.2
        lon[todo] = rows["lon"].to_numpy()[todo] + dist * np.sin(angle) / (
            111.2 * np.cos(np.radians(49.4))
        )
        outlines = rows["outline"].to_numpy()[todo]
        todo = todo[~shapely.contains_xy(outlines, lon[todo], lat[todo])]
    return lat, lon


def read_communes() -> pd.DataFrame:
    """The real communes of the data folder's snapshot, with their outlines as shapely shapes."""
    from rouen_opendata.loader import load_dataset

    communes = load_dataset("communes-metropole", source="snapshot").frame
    outlines = [shapely.geometry.shape(s) for s in communes["geo_shape"]]
    columns = ["code_insee", "nom_commune", "population", "superficie_km2", "lat", "lon"]
    frame = communes[columns].astype({"code_insee": str, "nom_commune": str, "population": int})
    return frame.assign(outline=outlines)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The portal's CSV export: ``;``, UTF-8 with BOM, ``\\n`` line ends."""
    return ("\ufeff" + frame.to_csv(sep=";", index=False, lineterminator="\n")).encode()


def day_calendar(start: str, end: str) -> pd.DataFrame:
    """One row per day: weekday, public holiday, zone B school holiday, day of year."""
    days = pd.date_range(start, end, freq="D")
    holidays = {d for y in range(days[0].year, days[-1].year + 1) for d in ref.public_holidays(y)}
    school = np.zeros(len(days), bool)
    for first, back in ref.SCHOOL_HOLIDAYS_B:
        school |= (days >= pd.Timestamp(first)) & (days < pd.Timestamp(back))
    return pd.DataFrame(
        {
            "day": days,
            "weekday": days.day_of_week,
            "doy": days.day_of_year,
            "holiday": [d.date() in holidays for d in days],
            "school": school,
        }
    )


def eco_counter_sites(rng: np.random.Generator) -> pd.DataFrame:
    sites = pd.DataFrame(
        [site[:3] for site in ref.COUNTER_SITES], columns=["name", "commune", "point"]
    )
    lat, lon = near(rng, sites["commune"], spread=0.3)
    fixed = sites["point"].notna()
    lat[fixed] = [p[0] for p in sites.loc[fixed, "point"]]
    lon[fixed] = [p[1] for p in sites.loc[fixed, "point"]]
    ids = 100_040_000 + np.sort(rng.choice(60_000, len(sites), replace=False))
    installed = pd.Timestamp("2015-03-01") + pd.to_timedelta(rng.integers(0, 2800, len(sites)), "D")
    installed = installed.where(
        np.arange(len(sites)) % 14 != 13,  # two sites new in 2023
        pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 240, len(sites)), "D"),
    )
    return pd.DataFrame(
        {
            "id": ids.astype(str),
            "name": sites["name"],
            "commune": sites["commune"],
            "installation_date": installed.strftime("%Y-%m-%d"),
            "geo_point_2d": geo(lat, lon),
        }
    )


COMMUTE = np.array(
    [
        0.2,
        0.1,
        0.05,
        0.05,
        0.1,
        0.5,
        2.5,
        7.5,
        11,
        5,
        3,
        3.2,
        4.5,
        4,
        3.5,
        4.5,
        7.5,
        10,
        9,
        4,
        2.5,
        1.8,
        1.2,
        0.6,
    ]
)
LEISURE = np.array(
    [
        0.3,
        0.2,
        0.1,
        0.05,
        0.05,
        0.1,
        0.3,
        0.8,
        2,
        4,
        6,
        7.5,
        8,
        8.5,
        9,
        9.5,
        9,
        8,
        6,
        4,
        2.5,
        1.5,
        1,
        0.5,
    ]
)


def eco_counter_data(rng: np.random.Generator, sites: pd.DataFrame) -> pd.DataFrame:
    hours = pd.date_range(
        pd.Timestamp("2023-01-01", tz=TZ), pd.Timestamp("2024-12-31 23:00", tz=TZ), freq="h"
    )
    hour = hours.hour.to_numpy()
    cal = day_calendar("2023-01-01", "2024-12-31")
    day_of_hour = (hours.tz_localize(None).normalize() - cal["day"][0]).days.to_numpy()
    rest = (cal["weekday"].to_numpy() >= 5) | cal["holiday"].to_numpy()
    doy = cal["doy"].to_numpy()
    season = 1 + 0.28 * np.cos(2 * np.pi * (doy - 200) / 365.25)
    rainy = rng.random(len(cal)) < 0.3 + 0.15 * np.cos(2 * np.pi * (doy - 15) / 365.25)
    weather = np.where(rainy, rng.uniform(0.45, 0.85, len(cal)), rng.uniform(0.95, 1.08, len(cal)))
    years = (cal["day"] - cal["day"][0]).dt.days.to_numpy() / 365.25
    commute, leisure = COMMUTE / COMMUTE.sum(), LEISURE / LEISURE.sum()
    typical = {name: (volume, share) for name, _, _, volume, share in ref.COUNTER_SITES}
    frames = []
    for site in sites.itertuples():
        volume, share = typical[site.name]
        volume *= rng.uniform(0.8, 1.25)
        work = np.where(rest, 0.0, share * np.where(cal["school"], 0.75, 1.0))
        daily = volume * season * weather * (1 + rng.uniform(0.05, 0.08)) ** years
        daily *= rng.lognormal(0, 0.08, len(cal))
        lam = daily[day_of_hour] * (
            work[day_of_hour] * commute[hour]
            + (1 - share) * leisure[hour] * np.where(rest[day_of_hour], 1.3, 1.0)
        )
        keep = hours.tz_localize(None) >= pd.Timestamp(site.installation_date)
        for _ in range(rng.integers(0, 4)):  # outages: rows absent, not zeros
            first = rng.integers(0, len(cal) - 40)
            keep &= ~((day_of_hour >= first) & (day_of_hour < first + rng.integers(2, 36)))
        frames.append(
            pd.DataFrame(
                {
                    "id": site.id,
                    "name": site.name,
                    "date": hours[keep],
                    "counts": rng.poisson(lam[keep]).astype("int32"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def bornes_irve(rng: np.random.Generator) -> pd.DataFrame:
    weights = COMMUNES["population"] ** 0.8
    n_stations = 95
    picked = COMMUNES.iloc[rng.choice(len(COMMUNES), n_stations, p=weights / weights.sum())]
    lat, lon = near(rng, picked["nom_commune"])
    rows, counters = [], {}
    operators = [
        ("Métropole Rouen Normandie", "MRN"),
        ("Aménageur exemple 1", "EX1"),
        ("Aménageur exemple 2", "EX2"),
    ]
    for i, com in enumerate(picked.itertuples()):
        name, code = operators[rng.choice(3, p=[0.6, 0.25, 0.15])]
        counters[(code, com.code_insee)] = number = counters.get((code, com.code_insee), 0) + 1
        station = f"FR{code}P{com.code_insee}{number:03d}"
        kind = rng.choice(["normale", "rapide", "mixte"], p=[0.7, 0.15, 0.15])
        if kind == "normale":
            powers = [rng.choice([3.7, 7.4, 11.0, 22.0], p=[0.1, 0.35, 0.2, 0.35])] * rng.integers(
                1, 5
            )
        elif kind == "rapide":
            powers = [rng.choice([50.0, 150.0])] * rng.integers(2, 7)
        else:
            powers = [22.0, 22.0, 50.0, 50.0]
        street = rng.choice(ref.STREETS)
        address = f"{rng.integers(1, 120)} {street} {com.nom_commune}"
        free = "true" if code == "MRN" and rng.random() < 0.2 else "false"
        updated = pd.Timestamp("2024-01-08") + pd.Timedelta(days=int(rng.integers(0, 340)))
        for k, power in enumerate(powers, start=1):
            rows.append(
                {
                    "nom_amenageur": name,
                    "id_station_itinerance": station,
                    "nom_station": f"{com.nom_commune} - {street}",
                    "adresse_station": address,
                    "code_insee_commune": com.code_insee,
                    "coordonneesXY": f"[{round(lon[i], 6)}, {round(lat[i], 6)}]",
                    "nbre_pdc": len(powers),
                    "id_pdc_itinerance": f"FR{code}E{com.code_insee}{number:03d}{k}",
                    "puissance_nominale": float(power),
                    "gratuit": free,
                    "date_maj": updated.strftime("%Y-%m-%d"),
                    "geo_point_2d": geo([lat[i]], [lon[i]])[0],
                }
            )
    return pd.DataFrame(rows)


# Year effects (electricity, gas): warm 2020 and lockdowns, 2022 sobriety kept in 2023.
ENERGY_YEARS = {
    2018: (1.0, 1.0),
    2019: (0.99, 0.97),
    2020: (0.95, 0.91),
    2021: (1.0, 1.02),
    2022: (0.94, 0.84),
    2023: (0.93, 0.85),
}
# filiere → sector → (sites per inhabitant, or per km² for agriculture; MWh per site)
ENERGY_SECTORS = {
    "Electricité": {
        "AGRICULTURE": (0.6, 25),
        "INDUSTRIE": (1 / 300, 400),
        "TERTIAIRE": (1 / 16, 28),
        "RESIDENTIEL": (1 / 2.1, 4.6),
        "INCONNU": (1 / 400, 6),
    },
    "Gaz": {
        "AGRICULTURE": (0.05, 80),
        "INDUSTRIE": (1 / 1500, 3000),
        "TERTIAIRE": (1 / 60, 150),
        "RESIDENTIEL": (0.55 / 2.1, 11),
        "INCONNU": (1 / 2000, 20),
    },
}


def energie_communes(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for com in COMMUNES.itertuples():
        has_gas = com.population >= 1100 or rng.random() < 0.35
        rural = com.population / com.superficie_km2 < 1000
        for filiere, sectors in ENERGY_SECTORS.items():
            if filiere == "Gaz" and not has_gas:
                continue
            for sector, (rate, per_site) in sectors.items():
                sites = rate * (
                    com.superficie_km2 * (1 if rural else 0.1)
                    if sector == "AGRICULTURE"
                    else com.population
                )
                per_site *= rng.lognormal(0, 0.15)
                if sector == "INDUSTRIE":
                    sites += 3 * ref.INDUSTRIAL.get(com.code_insee, 0)
                    per_site *= ref.INDUSTRIAL.get(com.code_insee, 1)
                if filiere == "Electricité" and sector == "RESIDENTIEL" and not has_gas:
                    per_site *= 1.35  # electric heating where there is no gas network
                for year, effects in ENERGY_YEARS.items():
                    n_sites = int(round(sites * 1.005 ** (year - 2018)))
                    if n_sites < 11:  # statistical secrecy: the row is not published
                        continue
                    effect = effects[filiere == "Gaz"] * 0.99 ** (year - 2018)
                    conso = n_sites * per_site * effect * rng.lognormal(0, 0.03)
                    rows.append(
                        (
                            com.code_insee,
                            com.nom_commune,
                            year,
                            filiere,
                            sector,
                            round(conso, 3),
                            n_sites,
                            "76",
                        )
                    )
    cols = [
        "code_commune",
        "nom_commune",
        "annee",
        "filiere",
        "code_grand_secteur",
        "conso_totale_mwh",
        "nb_sites",
        "code_departement",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values(["annee", "code_commune"], kind="stable")


def attendance_factors(rng, kind: str, cal: pd.DataFrame, capacity: int):
    """(open mask, multiplier of the base daily entries) of one facility, day by day."""
    d, wd, month = cal["day"], cal["weekday"].to_numpy(), cal["day"].dt.month.to_numpy()
    school, holiday = cal["school"].to_numpy(), cal["holiday"].to_numpy()
    closed = d.dt.strftime("%m-%d").isin(["01-01", "05-01", "12-25"]).to_numpy()
    if kind == "Patinoire":
        factor = np.array([0.5, 0.6, 1.3, 0.6, 1, 1.8, 1.6])[wd] * np.where(school, 1.6, 1)
        return ~np.isin(month, [6, 7, 8]) & ~closed, factor * np.where(holiday, 1.5, 1)
    if kind == "Salle de concert":
        season = ~np.isin(month, [7, 8]) & ~((month == 12) & (d.dt.day >= 20).to_numpy())
        show = rng.random(len(d)) < np.array([0.02, 0.15, 0.3, 0.55, 0.7, 0.65, 0.1])[wd]
        fill = np.where(rng.random(len(d)) < 0.25, 0.3, 1) * rng.beta(4, 2, len(d))
        return season & show & ~closed, fill * capacity
    if kind == "Piscine":
        shutdown = np.zeros(len(d), bool)
        for year in d.dt.year.unique():  # two-week technical shutdown (draining), not in summer
            start = pd.Timestamp(f"{year}-09-01") + pd.Timedelta(days=int(rng.integers(0, 120)))
            shutdown |= ((d >= start) & (d < start + pd.Timedelta(days=14))).to_numpy()
        open_ = (wd != rng.integers(0, 5)) & ~shutdown & ~closed
        factor = np.array([1, 1, 1.2, 1, 1, 1.4, 1.3])[wd] * np.where(school, 1.3, 1)
        return open_, factor * np.where(np.isin(month, [7, 8]), 1.6, 1)
    if kind == "Bibliothèque":
        factor = np.array([0, 1, 1.3, 1, 1.1, 1.6, 0])[wd] * np.where(month == 8, 0.55, 1)
        return ~np.isin(wd, [0, 6]) & ~holiday, factor * np.where(school, 0.9, 1)
    # Musée: closed on Tuesdays and some holidays; event and free-entry peaks.
    closed = closed | (d.dt.strftime("%m-%d") == "11-01").to_numpy()
    factor = np.array([1, 0, 0.9, 0.9, 1, 1.7, 1.9])[wd] * np.where(school, 1.3, 1)
    factor *= np.where(np.isin(month, [7, 8]), 1.25, 1) * np.where(holiday, 1.5, 1)
    factor *= np.where((wd == 6) & (d.dt.day <= 7).to_numpy(), 1.4, 1)
    factor *= np.where(d.isin(pd.to_datetime(ref.NUIT_DES_MUSEES)), 6, 1)
    factor *= np.where(d.isin(pd.to_datetime(ref.JOURNEES_PATRIMOINE)), 4, 1)
    for year in d.dt.year.unique():  # one temporary exhibition a year
        start = pd.Timestamp(f"{year}-03-01") + pd.Timedelta(days=int(rng.integers(0, 120)))
        factor *= np.where((d >= start) & (d < start + pd.Timedelta(days=110)), 1.35, 1)
    return (wd != 1) & ~closed, factor


def frequentation_equipements(rng: np.random.Generator) -> pd.DataFrame:
    cal = day_calendar("2022-01-01", "2024-12-31")
    health_pass = np.where(cal["day"] < pd.Timestamp("2022-02-15"), 0.7, 1)
    frames = []
    for fid, name, kind, commune, capacity, base in ref.FACILITIES:
        open_, factor = attendance_factors(rng, kind, cal, capacity)
        level = factor if kind == "Salle de concert" else base * factor * health_pass
        level = level * rng.lognormal(0, 0.15, len(cal))
        if kind == "Salle de concert":
            level = np.minimum(level, capacity)  # a concert never exceeds the hall's capacity
        entries = np.where(open_, np.round(level), 0)
        frames.append(
            pd.DataFrame(
                {
                    "date": cal["day"].dt.strftime("%Y-%m-%d"),
                    "equipement_id": fid,
                    "equipement": name,
                    "type_equipement": kind,
                    "commune": commune,
                    "entrees": entries.astype(int),
                    "ouvert": np.where(open_, "oui", "non"),
                    "capacite": capacity,
                }
            )
        )
    return pd.concat(frames).sort_values(["date", "equipement_id"], ignore_index=True)


STOPWORDS = {"A", "AU", "AUX", "D", "DE", "DES", "DU", "ET", "L", "LA", "LE", "LES", "SUR", "SOUS"}


def name_tokens(text: str) -> frozenset[str]:
    """Upper-case words without accents or little words: compares GTFS and commune names."""
    plain = unicodedata.normalize("NFKD", text.replace(".", "")).encode("ascii", "ignore")
    plain = plain.decode().upper()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return frozenset(words) - STOPWORDS


def read_gtfs(gtfs_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(gtfs_dir / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def find_terminus(label: str, st: pd.DataFrame) -> int | None:
    """The station a headsign names: its name words all in the headsign, most of them
    outside the commune's name, then the one nearest that commune."""
    words = name_tokens(label)
    fits = [len(t) if t <= words else 0 for t in COMMUNES["nom_commune"].map(name_tokens)]
    town = COMMUNES.iloc[int(np.argmax(fits))] if max(fits) else BY_NAME.loc["Rouen"]
    own = name_tokens(town["nom_commune"]) if max(fits) else frozenset()
    score = np.array(
        [10 * len(t - own) + len(t) if t and t <= words and t - own else 0 for t in st["tokens"]]
    )
    if score.max() == 0:
        return None
    cands = st[score == score.max()]
    return int(((cands["lon"] - town["lon"]) ** 2 + (cands["lat"] - town["lat"]) ** 2).idxmin())


def line_stations(route, route_trips: pd.DataFrame, st: pd.DataFrame) -> list[int]:
    """Stations of a line, in order: see the registry's schema text for the method."""
    labels = sorted(route_trips["trip_headsign"].unique())
    termini = {find_terminus(h, st) for h in labels} - {None}
    if len(termini) < 2:
        termini |= {find_terminus(p, st) for p in route.route_long_name.split("<>")} - {None}
    termini = sorted(termini)
    if len(termini) < 2:
        return []
    xy = st[["x", "y"]].to_numpy()
    pts = xy[termini]
    gaps = ((pts[:, None] - pts[None]) ** 2).sum(-1)
    a, b = np.unravel_index(gaps.argmax(), gaps.shape)
    segments = [(pts[a], pts[b])]
    # Products written out, not `@`: a BLAS dot may round the last bit differently from
    # one numpy build to another, and a station at the end of the main segment would then
    # swap places with a branch's first station (both at position 1.0).
    for c in set(range(len(pts))) - {a, b}:
        ab = pts[b] - pts[a]
        t = np.clip(((pts[c] - pts[a]) * ab).sum() / (ab * ab).sum(), 0, 1)
        segments.append((pts[c], pts[a] + t * ab))
    best = np.full(len(xy), np.inf)
    order = np.zeros(len(xy))
    segment = np.zeros(len(xy), dtype=int)
    for i, (p, q) in enumerate(segments):
        pq_ = q - p
        t = np.clip(((xy - p) * pq_).sum(axis=1) / max((pq_ * pq_).sum(), 1e-9), 0, 1)
        dist = np.hypot(*(xy - (p + t[:, None] * pq_)).T)
        better = dist < best
        best[better], order[better], segment[better] = dist[better], i + t[better], i
    length = sum(np.hypot(*(q - p)) for p, q in segments)
    near_line = np.flatnonzero(best <= 0.35)
    nearest = near_line[np.argsort(best[near_line], kind="stable")]
    keep = set(termini) | set(nearest[: int(2.5 * length)])
    # Equal positions (to 1e-9 km): the main segment's stations first, then by index.
    return sorted(keep, key=lambda i: (round(order[i], 9), segment[i], i))


MONTHS = {
    "2023-09": 1.0,
    "2023-10": 1.0,
    "2023-11": 1.0,
    "2023-12": 0.88,
    "2024-01": 0.97,
    "2024-02": 0.95,
    "2024-03": 1.02,
    "2024-04": 0.95,
    "2024-05": 0.93,
    "2024-06": 0.98,
    "2024-07": 0.72,
    "2024-08": 0.6,
}


def astuce_montees_descentes(rng: np.random.Generator, gtfs_dir: Path) -> pd.DataFrame:
    routes, stops = read_gtfs(gtfs_dir, "routes.txt"), read_gtfs(gtfs_dir, "stops.txt")
    trips = read_gtfs(gtfs_dir, "trips.txt")
    # Stations: parent stations, and the stops that have none.
    st = stops[
        ((stops["location_type"] == "1") | (stops["parent_station"] == ""))
        & ~stops["stop_name"].str.match("Ascenseurs|Escalators")
    ]  # the lifts' own stops
    st = st.reset_index(drop=True)
    st = st.assign(
        lat=st["stop_lat"].astype(float),
        lon=st["stop_lon"].astype(float),
        tokens=st["stop_name"].map(name_tokens),
    )
    st = st.assign(x=st["lon"] * 111.2 * np.cos(np.radians(49.4)), y=st["lat"] * 111.2)
    number = pd.to_numeric(routes["route_short_name"], errors="coerce")
    regular = routes[
        routes["route_type"].isin(["0", "1", "3", "4"]) & ~number.between(100, 499)
    ]  # no school, lift or on-demand services
    lines = {
        r.route_id: line_stations(r, trips[trips["route_id"] == r.route_id], st)
        for r in regular.itertuples()
    }
    lines = {k: v for k, v in lines.items() if v}
    hub = pd.Series([i for v in lines.values() for i in v]).value_counts()
    rows = []
    for route in regular[regular["route_id"].isin(list(lines))].itertuples():
        idx = lines[route.route_id]
        daily = {"1": 75000, "0": 18000 if route.route_short_name == "T4" else 28000}.get(
            route.route_type, 9000 if route.route_short_name.startswith("F") else 2000
        )
        if route.route_short_name in ("Noctambus", "Calypso"):
            daily = 300
        daily *= rng.uniform(0.8, 1.2)
        weight = rng.gamma(2.5, 1, len(idx)) * (1 + 0.5 * (hub[idx].to_numpy() - 1))
        weight[[0, -1]] *= 1.5
        alight = weight * rng.uniform(0.75, 1.25, len(idx))
        for month, factor in MONTHS.items():
            days = pd.Period(month).days_in_month
            up = rng.multinomial(int(daily * factor * days * 0.85), weight / weight.sum())
            down = rng.multinomial(int(up.sum()), alight / alight.sum())
            rows.append(
                pd.DataFrame(
                    {
                        "mois": month,
                        "route_id": route.route_id,
                        "route_short_name": route.route_short_name,
                        "stop_id": st["stop_id"][idx].to_numpy(),
                        "stop_name": st["stop_name"][idx].to_numpy(),
                        "montees": up,
                        "descentes": down,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


PERMITS_PER_YEAR = {2019: 560, 2020: 470, 2021: 600, 2022: 560, 2023: 430, 2024: 380}
DWELLINGS = ["Individuel pur", "Individuel groupé", "Collectif", "Résidence"]


def permis_construire(rng: np.random.Generator) -> pd.DataFrame:
    dense = (COMMUNES["population"] / COMMUNES["superficie_km2"] > 2000).to_numpy()
    weights = COMMUNES["population"] ** 0.9 * np.where(dense, 1, 1.3)
    frames = []
    for year, n in PERMITS_PER_YEAR.items():
        com = COMMUNES.iloc[rng.choice(len(COMMUNES), n, p=weights / weights.sum())]
        workdays = pd.bdate_range(
            f"{year}-01-01", f"{year}-12-31", freq="C", holidays=ref.public_holidays(year)
        )
        frames.append(com.assign(date=np.sort(rng.choice(workdays, n)), dense=dense[com.index]))
    df = pd.concat(frames, ignore_index=True)
    u = rng.random(len(df))
    kind = np.where(
        df["dense"],
        np.searchsorted([0.45, 0.6, 0.94], u, side="right"),
        np.searchsorted([0.75, 0.9, 0.99], u, side="right"),
    )
    lgt = np.array(DWELLINGS)[kind]
    nb = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            np.ones(len(df)),
            rng.integers(2, 13, len(df)),
            3 + rng.negative_binomial(2, 0.1, len(df)),
        ],
        rng.integers(30, 101, len(df)),
    ).astype(int)
    lotissement = (kind == 1) & (rng.random(len(df)) < 0.3)
    nb = np.where(lotissement, rng.integers(5, 41, len(df)), nb)
    extension = (kind == 0) & (rng.random(len(df)) < 0.1)
    dau = np.where(lotissement, "PA", np.where(extension, "DP", "PC"))
    per_lgt = np.array([[95, 160], [80, 110], [55, 75], [30, 45]])[kind]
    surf = np.round(nb * rng.uniform(per_lgt[:, 0], per_lgt[:, 1]), 1)
    age = (pd.Timestamp("2025-01-06") - df["date"]).dt.days.to_numpy() / 365.25
    u = rng.random(len(df))
    cuts = np.where(
        age[:, None] < 1, [0.7, 1, 1], np.where(age[:, None] < 2.5, [0.25, 0.7, 1], [0.05, 0.3, 1])
    )
    etat = np.array(["Autorisé", "Commencé", "Terminé"])[(u[:, None] > cuts).sum(1).clip(0, 2)]
    etat = np.where(rng.random(len(df)) < 0.04, "Annulé", etat)
    out = pd.DataFrame(
        {
            "type_dau": dau,
            "etat": etat,
            "date": df["date"],
            "code_insee_commune": df["code_insee"],
            "nom_commune": df["nom_commune"],
            "nb_lgt_crees": nb,
            "surf_plancher_m2": surf,
            "type_lgt": lgt,
        }
    )
    out = out.sort_values(["date", "code_insee_commune"], kind="stable", ignore_index=True)
    yy = out["date"].dt.strftime("%y")
    seq = out.groupby(["type_dau", "code_insee_commune", yy]).cumcount() + 1
    out.insert(
        0,
        "num_dau",
        out["type_dau"]
        + " 076 "
        + out["code_insee_commune"].str[2:]
        + " "
        + yy
        + " X"
        + seq.map("{:04d}".format),
    )
    lat, lon = near(rng, out["nom_commune"])
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out.rename(columns={"date": "date_reelle_autorisation"}).assign(
        geo_point_2d=geo(lat, lon)
    )


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("name", pa.string()),
            ("date", pa.timestamp("ms", tz=TZ)),
            ("counts", pa.int32()),
        ]
    )
    buffer = io.BytesIO()
    pq.write_table(
        pa.Table.from_pandas(frame, schema=schema, preserve_index=False), buffer, compression="zstd"
    )
    return buffer.getvalue()


def write(key: str, frame: pd.DataFrame, registry, write_snapshot) -> None:
    """Write one sample as its registry record describes it."""
    spec = registry[key]
    table = spec.table("data")
    if list(frame.columns) != list(table.fields):
        raise SystemExit(
            f"{key}: columns {list(frame.columns)} differ from the registry's "
            f"{list(table.fields)}; update data/registry.yaml or the generator."
        )
    if not spec.generated or spec.provenance.seed != SEED:
        raise SystemExit(f"{key}: the registry must record kind generated and seed {SEED}.")
    content = parquet_bytes(frame) if table.format == "parquet" else csv_bytes(frame)
    metas = {
        "title": spec.title,
        "description": spec.description,
        "license": spec.licence,
        "license_url": spec.licence_url,
        "modified": MODIFIED,
        "records_count": len(frame),
        "publisher": spec.publisher,
        "keyword": KEYWORDS[key],
        "theme": spec.themes,
    }
    fields = [{"name": n, "type": t, "label": ref.LABELS[n]} for n, t in table.fields.items()]
    write_snapshot(
        key,
        {table.file: content},
        metas=metas,
        fields=fields,
        provenance=spec.provenance.model_dump(by_alias=True),
        rows={table.file: len(frame)},
        fetched_at=FETCHED_AT,
    )
    log.info("%s: %d rows, %d bytes", key, len(frame), len(content))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="data folder (registry.yaml, snapshots/); "
        "default: OPENDATA_DATA_DIR or the project's data/",
    )
    parser.add_argument(
        "--gtfs-dir",
        type=Path,
        help="Astuce GTFS text files; default: the astuce-gtfs snapshot of the data folder",
    )
    parser.add_argument("--only", nargs="+", metavar="KEY", help="generate these keys only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.data_dir:
        # The data layer reads OPENDATA_DATA_DIR whenever it opens the registry or a snapshot.
        os.environ["OPENDATA_DATA_DIR"] = str(args.data_dir.resolve())
    sys.path.insert(0, str(PROJECT_ROOT))
    from rouen_opendata.registry import load_registry
    from rouen_opendata.snapshots import snapshot_path, write_snapshot

    registry = load_registry()
    global COMMUNES, BY_NAME
    COMMUNES = read_communes()
    BY_NAME = COMMUNES.set_index("nom_commune")
    gtfs_dir = args.gtfs_dir or snapshot_path("astuce-gtfs")
    sites = eco_counter_sites(rng_for("eco-counter-sites"))
    builders = {
        "eco-counter-sites": lambda rng: sites,
        "eco-counter-data": lambda rng: eco_counter_data(rng, sites),
        "bornes-irve": bornes_irve,
        "energie-communes": energie_communes,
        "frequentation-equipements": frequentation_equipements,
        "astuce-montees-descentes": lambda rng: astuce_montees_descentes(rng, gtfs_dir),
        "permis-construire": permis_construire,
    }
    unknown = set(args.only or []) - set(builders)
    if unknown:
        parser.error(f"unknown keys {sorted(unknown)}; choose among {sorted(builders)}")
    for key, build in builders.items():
        if not args.only or key in args.only:
            write(key, build(rng_for(key)), registry, write_snapshot)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
