// The ceasefire tracker's chart: breaches per day, stacked by type, from the counts the page
// carries as JSON (the same the API's tracker gives), drawn with the shared count chart.
import { countChart, type CountBucket } from "./lib/chart";
import { status } from "./lib/dom";
import { label } from "./lib/page";

interface ChartData {
  buckets: CountBucket[];
  types: Record<string, string>;
}

function mount(container: HTMLElement, data: ChartData): void {
  const region = container.parentElement?.querySelector(".island-status") ?? null;
  if (data.buckets.length === 0) return status(region, label("tracker.chart.none"));
  const width = Math.max(container.clientWidth, 280);
  container.append(
    countChart(data.buckets, "day", { title: label("tracker.chart.title"), label: (code) => data.types[code] ?? code, width }),
  );
}

const container = document.querySelector<HTMLElement>(".breach-chart");
const source = document.getElementById("breach-counts");
if (container && source) mount(container, JSON.parse(source.textContent ?? "{}") as ChartData);
