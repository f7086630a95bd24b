// Drawing a Waqai timeline answer on vis-timeline: precise days as points, uncertain dates as
// hatched ranges over the span they may fall in, eras as shaded background, one lane per
// group. Event text is untrusted: it reaches the page as text nodes, never as HTML.
import { Timeline, type DataGroup, type DataItem, type TimelineOptions } from "vis-timeline/peer";
import { el } from "./dom";
import { label, lang, LOCALE, pick, rtl } from "./page";

export interface TimelineEvent {
  id: string;
  title: Record<string, string>;
  date_lower: string | null;
  date_upper: string | null;
  date_precision: string;
  lanes: string[];
}
export interface Lane {
  key: string;
  label: Record<string, string>;
}
export interface Era {
  process_id: string;
  names: Record<string, string>;
  phase: string;
  start: string | null;
  end: string | null;
}
export interface TimelineAnswer {
  items: TimelineEvent[];
  lanes: Lane[] | null;
  eras: Era[];
}

/** The host element keeps its Timeline: redrawn views destroy the old one, tests drive it. */
export interface TimelineHost extends HTMLElement {
  timeline?: Timeline;
}

const DAY = 86_400_000;

export function drawTimeline(host: TimelineHost, answer: TimelineAnswer): Timeline {
  host.timeline?.destroy();
  const extent = knownExtent(answer.items);
  const items: DataItem[] = [
    ...answer.items.flatMap((event) => toItems(event, extent)),
    ...answer.eras.flatMap((era, index) => toEra(era, index, extent)),
  ];
  const lanes = answer.lanes ?? [];
  const groups: DataGroup[] = lanes.map((lane) => ({ id: lane.key, content: pick(lane.label) }));
  const opens = opening(answer.items, host.clientWidth - (lanes.length ? LANE_NAMES : 0));
  const timeline = lanes.length ? new Timeline(host, items, groups, options(opens)) : new Timeline(host, items, options(opens));
  host.timeline = timeline;
  return timeline;
}

function options([start, end]: [Date, Date]): TimelineOptions {
  return {
    start,
    end,
    rtl,
    locale: lang,
    locales: { [lang]: { current: label("explorer.vis.current"), time: label("explorer.vis.time"), deleteSelected: "" } },
    format: { minorLabels: axisLabel(MINOR), majorLabels: axisLabel(MAJOR) },
    stack: true,
    // Many lanes would make the page thousands of pixels tall, with the chart, the exports and
    // the list far below: the lanes scroll inside the timeline instead (the wheel, the scroll bar
    // beside the lane names, or a vertical drag).
    maxHeight: "70vh",
    verticalScroll: true,
    zoomKey: "ctrlKey",
    orientation: "top",
    showCurrentTime: false,
    margin: { item: { horizontal: 4, vertical: 6 } },
    template: asText,
    groupTemplate: asText,
  };
}

// Pixels: what the lane names take beside the lanes (explorer.css: at most 14rem and padding),
// and what the titles of the last day's points want after it.
const LANE_NAMES = 240;
const TITLE_ROOM = 360;

/**
 * The window the view opens on: the days where most events lie, then room after the last of
 * them for its points' titles. A few events far from the rest (the demo's motion in Ankara ten
 * days before the Moscow talks) would squeeze everything else into a corner with its titles cut;
 * they are a drag or a zoom away, and in the chart and the list below.
 */
function opening(events: TimelineEvent[], width: number): [Date, Date] {
  const [first, last] = mainStretch(events);
  const start = first - DAY / 2;
  const across = Math.max(width, 240); // the width the items get
  const room = Math.min(TITLE_ROOM, across / 2);
  const span = Math.max(last + DAY - start, 3 * DAY) / (1 - room / across);
  return [new Date(start), new Date(start + span)];
}

/**
 * The first and last day of the events that lie together: events sorted by day split where
 * they are more than a quarter of the whole stretch (and two days) apart; the largest group
 * counts when it holds at least two events in three, else all of them do.
 */
function mainStretch(events: TimelineEvent[]): [number, number] {
  const dated = events
    .filter((e) => e.date_lower ?? e.date_upper)
    .map((e) => ({ from: day(e.date_lower ?? e.date_upper), to: day(e.date_upper ?? e.date_lower) }))
    .sort((a, b) => a.from - b.from);
  if (dated.length === 0) return knownExtent(events);
  const gap = Math.max(2 * DAY, (dated[dated.length - 1].from - dated[0].from) / 4);
  let largest: [number, number] = [0, 0]; // indexes [first, after last] of the largest group
  let from = 0;
  for (let i = 1; i <= dated.length; i++) {
    if (i < dated.length && dated[i].from - dated[i - 1].from <= gap) continue;
    if (i - from > largest[1] - largest[0]) largest = [from, i];
    from = i;
  }
  const together = (largest[1] - largest[0]) * 3 >= dated.length * 2 ? dated.slice(...largest) : dated;
  return [together[0].from, Math.max(...together.map((e) => e.to))];
}

type Scale = "millisecond" | "second" | "minute" | "hour" | "weekday" | "day" | "week" | "month" | "year";
type Fields = Partial<Record<Scale, Intl.DateTimeFormatOptions>>;
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const MINOR: Fields = {
  minute: TIME, hour: TIME, weekday: { weekday: "short", day: "numeric" }, day: { day: "numeric" },
  week: { day: "numeric", month: "short" }, month: { month: "short" }, year: { year: "numeric" },
};
const MAJOR: Fields = {
  minute: { day: "numeric", month: "long" }, hour: { day: "numeric", month: "long" },
  weekday: { month: "long", year: "numeric" }, day: { month: "long", year: "numeric" },
  week: { month: "long", year: "numeric" }, month: { year: "numeric" },
};

/** Axis labels in the page's language with Intl (vis hands over a moment; dates are UTC days). */
function axisLabel(fields: Fields) {
  return (date: Date | { toDate(): Date }, scale: string): string => {
    const wanted = fields[scale as Scale];
    if (!wanted) return "";
    const when = date instanceof Date ? date : date.toDate();
    return new Intl.DateTimeFormat(LOCALE, { ...wanted, timeZone: "UTC" }).format(when);
  };
}

/** One item per lane the event sits in (an event with three actors shows in three lanes). */
function toItems(event: TimelineEvent, extent: [number, number]): DataItem[] {
  const base = itemOf(event, extent);
  const lanes = event.lanes.length ? event.lanes : [undefined];
  return lanes.map((lane) => ({ ...base, id: lane ? `${event.id}:${lane}` : event.id, group: lane }));
}

function itemOf(event: TimelineEvent, [first, last]: [number, number]): DataItem {
  const content = pick(event.title);
  const href = `/events/${event.id}`;
  if (event.date_precision === "day" && event.date_lower) {
    return { id: event.id, content, start: event.date_lower, type: "point", className: "precise", href } as DataItem;
  }
  // An open end is drawn to the edge of the known dates, fading out (see explorer.css).
  const start = event.date_lower ?? new Date(Math.min(first, day(event.date_upper) - 7 * DAY)).toISOString();
  const end = event.date_upper ? day(event.date_upper) + DAY : Math.max(last, day(event.date_lower) + 7 * DAY);
  const open = !event.date_lower ? " open-start" : !event.date_upper ? " open-end" : "";
  return {
    id: event.id,
    content,
    start,
    end: new Date(end).toISOString(),
    type: "range",
    className: `uncertain precision-${event.date_precision}${open}`,
    href,
  } as DataItem;
}

function toEra(era: Era, index: number, [first, last]: [number, number]): DataItem[] {
  if (!era.start && !era.end) return [];
  const start = era.start ? day(era.start) : first;
  const end = era.end ? day(era.end) + DAY : Math.max(last, start) + DAY;
  // Eras often start days apart: their names would overlap on the timeline, so the legend
  // names them (see eraNames).
  return [{ id: `era-${index}`, content: "", start: new Date(start), end: new Date(end), type: "background", className: `era era-${era.phase}` }];
}

/** "Libya truce from 12 January 2020; Moscow talks …": what the shaded eras are. */
export function eraNames(eras: Era[]): string {
  return eras.map((era) => pick(era.names)).join(label("explorer.list.separator"));
}

/** The earliest and latest days any event is known to touch. */
function knownExtent(events: TimelineEvent[]): [number, number] {
  const days = events.flatMap((e) => [e.date_lower, e.date_upper]).filter((d): d is string => d !== null).map(day);
  return days.length ? [Math.min(...days), Math.max(...days)] : [Date.now(), Date.now()];
}

function day(iso: string | null): number {
  return iso ? Date.parse(`${iso}T00:00:00Z`) : Date.now();
}

interface Shown {
  content?: string;
  href?: string;
}

function asText(item?: Shown): HTMLElement {
  const text = item?.content ?? "";
  if (item?.href) return el("a", { href: item.href, title: text, class: "item-link" }, text);
  return el("span", { title: text }, text);
}
