// A Leaflet map drawn on offline country boundaries (world-atlas), with no tile server: the
// boundaries are a file Waqai serves itself, fetched once and cached by the browser.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countriesUrl from "world-atlas/countries-50m.json?url";
import { rtl } from "./page";

const COUNTRY_STYLE: L.PathOptions = { color: "#8a96a3", weight: 0.8, fillColor: "#e8ecef", fillOpacity: 1 };

let countries: Promise<GeoJSON.FeatureCollection> | undefined;

/** The world's countries as GeoJSON (fetched on first use). */
export function countryShapes(): Promise<GeoJSON.FeatureCollection> {
  countries ??= fetch(countriesUrl)
    .then((response) => response.json() as Promise<Topology<{ countries: GeometryCollection }>>)
    .then((topology) => feature(topology, topology.objects.countries) as GeoJSON.FeatureCollection);
  return countries;
}

/** A map in `container` with the country boundaries as its only background. */
export async function offlineMap(container: HTMLElement, options: L.MapOptions = {}): Promise<L.Map> {
  const map = L.map(container, { attributionControl: false, worldCopyJump: false, ...options });
  map.getContainer().style.background = "#cfe3ef"; // the sea
  if (rtl) map.zoomControl?.setPosition("topright");
  L.geoJSON(await countryShapes(), { style: () => COUNTRY_STYLE, interactive: false }).addTo(map);
  return map;
}
