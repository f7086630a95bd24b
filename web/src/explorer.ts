// The timeline explorer: the filtered events on a zoomable, scrollable vis-timeline, with
// eras shaded, lanes, and a count chart below. The page's filter form is swapped by htmx;
// after each swap the islands are drawn again from the new view's data-query.
import "vis-timeline/styles/vis-timeline-graph2d.css";
import "./styles/explorer.css";
import { getJSON, problemText, timelineURL } from "./lib/api";
import { countChart, type CountBucket, type CountUnit } from "./lib/chart";
import { status } from "./lib/dom";
import { label } from "./lib/page";
import { drawTimeline, eraNames, type TimelineAnswer } from "./lib/timeline";

interface BucketAnswer {
  buckets: { unit: CountUnit; buckets: CountBucket[]; spanning: { total: number } } | null;
}

async function mountTimeline(container: HTMLElement): Promise<void> {
  const region = container.parentElement?.querySelector(".island-status") ?? null;
  status(region, label("common.loading"));
  try {
    const url = timelineURL(container.dataset.query, { group_by: container.dataset.groupBy ?? "actor", limit: container.dataset.limit });
    const answer = await getJSON<TimelineAnswer>(url);
    if (answer.items.length === 0) return status(region, label("common.no_events"));
    drawTimeline(container, answer);
    const eras = document.getElementById("era-names");
    if (eras) eras.textContent = answer.eras.length ? `: ${eraNames(answer.eras)}` : "";
    status(region, "");
  } catch (error) {
    status(region, problemText(error), true);
  }
}

async function mountChart(box: HTMLElement): Promise<void> {
  const note = box.parentElement?.querySelector(".chart-note") ?? null;
  const unit = (box.dataset.bucket ?? "day") as CountUnit;
  try {
    const answer = await getJSON<BucketAnswer>(timelineURL(box.dataset.query, { bucket: unit, limit: "1" }));
    const buckets = answer.buckets;
    if (!buckets || buckets.buckets.length === 0) return status(note, label("common.no_events"));
    const names = typeLabels();
    const chart = countChart(buckets.buckets, unit, {
      label: (type) => names[type] ?? type,
      title: label("explorer.chart"),
      yLabel: label("explorer.chart.count"),
      width: Math.max(320, box.clientWidth),
    });
    box.replaceChildren(chart);
    const spanning = buckets.spanning.total;
    status(note, spanning ? label("explorer.chart.spanning", { count: spanning }) : "");
  } catch (error) {
    status(note, problemText(error), true);
  }
}

function typeLabels(): Record<string, string> {
  return JSON.parse(document.getElementById("type-labels")?.textContent ?? "{}") as Record<string, string>;
}

function mountAll(): void {
  const container = document.getElementById("timeline");
  if (container) void mountTimeline(container);
  const box = document.getElementById("count-chart");
  if (box) void mountChart(box);
}

mountAll();
// A filter applied through htmx replaces the view (and a step back in history restores one).
document.body.addEventListener("htmx:afterSettle", mountAll);
document.body.addEventListener("htmx:historyRestore", mountAll);
