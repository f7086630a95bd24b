// The map page: the filtered events as circles on offline country boundaries, clustered when
// dense. Popups are built from DOM text nodes: event text is untrusted.
import L from "leaflet";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import "./styles/map.css";
import { getJSON, problemText, timelineURL } from "./lib/api";
import { offlineMap } from "./lib/basemap";
import { el, status } from "./lib/dom";
import { label, LOCALE, pick } from "./lib/page";

interface MappedEvent {
  id: string;
  type: string;
  title: Record<string, string>;
  date_lower: string | null;
  date_upper: string | null;
  location: { names: Record<string, string>; latitude: number | null; longitude: number | null; precision: number | null } | null;
}

/** The host keeps its map: a redrawn view removes the old one, tests read it. */
interface MapHost extends HTMLElement {
  map?: L.Map;
}

const DAY_FORMAT = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const MARKER: L.CircleMarkerOptions = { radius: 7, color: "#0b5d8c", weight: 2, fillColor: "#0b5d8c", fillOpacity: 0.45, className: "event-point" };

async function mount(host: MapHost): Promise<void> {
  const region = host.parentElement?.querySelector(".island-status") ?? null;
  status(region, label("common.loading"));
  try {
    const url = timelineURL(host.dataset.query, { limit: host.dataset.limit });
    const answer = await getJSON<{ items: MappedEvent[] }>(url);
    host.map?.remove();
    // No tile layer sets the zoom range, and clustering needs its top.
    const map = await offlineMap(host, { center: [30, 20], zoom: 3, minZoom: 2, maxZoom: 10 });
    host.map = map;
    const placed = answer.items.filter(hasPlace);
    const cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      zoomToBoundsOnClick: false,
    });
    cluster.on("clusterclick", (event) => openCluster((event as L.LeafletEvent & { layer: L.MarkerCluster }).layer));
    for (const event of placed) cluster.addLayer(point(event));
    // Frame the points first, without animation, then draw the clusters: drawn before a zoom,
    // they would animate into place and ignore clicks meanwhile.
    if (placed.length) map.fitBounds(cluster.getBounds(), { padding: [40, 40], maxZoom: 7, animate: false });
    map.addLayer(cluster);
    host.dataset.ready = "true";
    const counted = label("map.counted", { placed: placed.length, count: answer.items.length });
    status(region, answer.items.length ? counted : label("common.no_events"));
  } catch (error) {
    status(region, problemText(error), true);
  }
}

/** Events at one place (all of Moscow's talks) fan out at once; zooming in would never part
 * them. Events at nearby places are parted by zooming to them. */
function openCluster(group: L.MarkerCluster): void {
  const bounds = group.getBounds();
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) group.spiderfy();
  else group.zoomToBounds({ padding: [40, 40] });
}

function hasPlace(event: MappedEvent): boolean {
  return event.location?.latitude != null && event.location.longitude != null;
}

function point(event: MappedEvent): L.CircleMarker {
  const { latitude, longitude } = event.location as { latitude: number; longitude: number };
  return L.circleMarker([latitude, longitude], MARKER).bindPopup(() => popup(event));
}

/** What a point tells: the title (a link to the event's page), when, and where. */
function popup(event: MappedEvent): HTMLElement {
  const place = pick(event.location?.names);
  const approximate = (event.location?.precision ?? 1) >= 4;
  return el(
    "div",
    { class: "map-popup", dir: "auto" },
    el("a", { href: `/events/${event.id}` }, pick(event.title)),
    el("p", { class: "when" }, days(event)),
    el("p", { class: "where" }, approximate ? label("map.place_approximate", { place }) : place),
  );
}

function days(event: MappedEvent): string {
  const [lower, upper] = [event.date_lower, event.date_upper].map((d) => (d ? DAY_FORMAT.format(new Date(`${d}T00:00:00Z`)) : "…"));
  return lower === upper ? lower : `${lower} – ${upper}`;
}

function mountAll(): void {
  const host = document.getElementById("event-map");
  if (host) void mount(host);
}

mountAll();
// A filter applied through htmx replaces the view (and a step back in history restores one).
document.body.addEventListener("htmx:afterSettle", mountAll);
document.body.addEventListener("htmx:historyRestore", mountAll);
