// The timeline explorer: the selected events on a zoomable, scrollable vis-timeline.
import { Timeline } from "vis-timeline/peer";
import "vis-timeline/styles/vis-timeline-graph2d.css";
import { getJSON, Problem } from "./lib/api";
import { el, status } from "./lib/dom";
import { label, pick, rtl } from "./lib/page";

interface TimelineItem {
  id: string;
  title: Record<string, string>;
  date_lower: string | null;
  date_upper: string | null;
  date_precision: string;
  lanes: string[];
}
interface Lane {
  key: string;
  label: Record<string, string>;
}
interface TimelineAnswer {
  items: TimelineItem[];
  lanes: Lane[];
}

async function mount(container: HTMLElement): Promise<void> {
  const region = container.parentElement?.querySelector(".island-status") ?? null;
  status(region, label("common.loading"));
  try {
    const answer = await getJSON<TimelineAnswer>(container.dataset.source ?? "/v1/timeline");
    if (answer.items.length === 0) return status(region, label("common.no_events"));
    const items = answer.items.map(toItem);
    const groups = answer.lanes.map((lane) => ({ id: lane.key, content: pick(lane.label) }));
    new Timeline(container, items, groups, {
      rtl,
      stack: true,
      zoomKey: "ctrlKey",
      // Event text is untrusted: it reaches the page as text nodes, never as HTML.
      template: asText,
      groupTemplate: asText,
    });
    status(region, "");
  } catch (error) {
    const detail = error instanceof Problem ? error.detail : String(error);
    status(region, label("common.error", { detail }), true);
  }
}

function asText(item?: { content?: string }): HTMLElement {
  return el("span", {}, item?.content ?? "");
}

function toItem(event: TimelineItem) {
  const day = event.date_precision === "day";
  const start = event.date_lower ?? event.date_upper ?? "";
  return {
    id: event.id,
    content: pick(event.title),
    start,
    end: day || !event.date_lower || !event.date_upper ? undefined : event.date_upper,
    type: day || !event.date_lower || !event.date_upper ? "point" : "range",
    group: event.lanes[0],
    className: day ? "precise" : "uncertain",
  };
}

const container = document.getElementById("timeline");
if (container) void mount(container);
