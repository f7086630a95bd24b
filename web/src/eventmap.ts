// The event page's small map: one circle on the event's place. A wider circle when the place
// only stands for a region or a country (the record's location precision).
import L from "leaflet";
import { problemText } from "./lib/api";
import { offlineMap } from "./lib/basemap";
import { status } from "./lib/dom";
import { label } from "./lib/page";

// UCDP's precision scale (1 exact … 6 country) as a zoom level and a circle size.
const ZOOM = [7, 7, 7, 6, 6, 5, 4, 4];
const RADIUS = [8, 8, 10, 12, 14, 18, 24, 24];

async function mount(container: HTMLElement): Promise<void> {
  const region = container.nextElementSibling?.classList.contains("island-status") ? container.nextElementSibling : null;
  const lat = Number(container.dataset.lat);
  const lon = Number(container.dataset.lon);
  const precision = Math.min(Math.max(Number(container.dataset.precision) || 1, 1), 7);
  try {
    const map = await offlineMap(container, { center: [lat, lon], zoom: ZOOM[precision], scrollWheelZoom: false });
    L.circleMarker([lat, lon], {
      radius: RADIUS[precision],
      color: "#a3242b",
      weight: 2,
      fillColor: "#a3242b",
      fillOpacity: 0.35,
      className: "event-marker",
    })
      .bindTooltip(label("event.map.marker"))
      .addTo(map);
  } catch (error) {
    status(region, problemText(error), true);
  }
}

for (const container of document.querySelectorAll<HTMLElement>(".event-map")) void mount(container);
