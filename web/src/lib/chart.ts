// Counts of events per day, week, month or year, stacked by type: an Observable Plot chart
// made safe for the dashboard's Content-Security-Policy.
//
// Plot puts <style> elements inside its SVG and legend; the CSP (style-src 'self') would block
// them, so they are removed before the figure reaches the document, and styles/chart.css gives
// the same rules for the fixed class name below.
//
// In Arabic the SVG is still laid out left to right (styles/chart.css): Plot places its text with
// text-anchor start/end, which a right-to-left SVG would mirror (the y label and the tips ran off
// the box). Time runs right to left through the reversed x scale instead, and each text Plot
// draws is a bidi isolate, so Arabic words and dates still read in their own order.
import * as Plot from "@observablehq/plot";
import "../styles/chart.css";
import { LOCALE, rtl } from "./page";

/** One bucket as the API gives it (`/v1/timeline?bucket=…` → `buckets.buckets`). */
export interface CountBucket {
  start: string; // ISO day the bucket starts
  end?: string; // ISO day it ends (inclusive); when absent, start + one unit
  by_type: Record<string, number>;
}

export type CountUnit = "day" | "week" | "month" | "year";

export interface CountChartOptions {
  /** What a type code is called on screen (default: the code itself). */
  label?: (type: string) => string;
  /** The chart's accessible name, also shown as the y axis label. */
  title?: string;
  /** Label of the y axis (default: the title). */
  yLabel?: string;
  width?: number;
}

/** The Plot class name: fixed so styles/chart.css can give the rules Plot would inline. */
export const CHART_CLASS = "count-chart";

interface Bar {
  start: Date;
  next: Date;
  type: string;
  count: number;
}

/** A stacked bar chart of `counts`, one bar per bucket, coloured by type, with a legend. */
export function countChart(counts: CountBucket[], unit: CountUnit, options: CountChartOptions = {}): HTMLElement {
  const label = options.label ?? ((type: string) => type);
  const dayName = dayFormat(unit);
  const day = (at: Date) => isolate(dayName(at));
  const count = numberFormat();
  const width = options.width ?? 640;
  const [marginLeft, marginRight] = rtl ? [20, 44] : [44, 20];
  const bars = toBars(counts, unit);
  const types = [...new Set(bars.map((bar) => bar.type))].sort();
  const ticks = bucketTicks(bars, unit, width - marginLeft - marginRight);
  const yLabel = options.yLabel ?? options.title;
  const figure = Plot.plot({
    className: CHART_CLASS,
    width,
    height: 220,
    marginLeft,
    marginRight,
    ariaLabel: options.title,
    x: {
      type: "utc",
      reverse: rtl,
      ticks: [...ticks.keys()].map((at) => new Date(at)),
      tickFormat: (at: Date) => day(ticks.get(+at) ?? at),
      label: null,
    },
    y: {
      grid: true,
      label: yLabel ? isolate(yLabel) : null,
      axis: rtl ? "right" : "left",
      ticks: Math.min(5, highestStack(bars)), // no more ticks than the tallest bar has events: whole numbers
      tickFormat: count,
    },
    color: {
      type: "ordinal",
      domain: types,
      scheme: "tableau10", // an ordinal scale's own default would be a ramp (turbo), not categories
      legend: true,
      tickFormat: label, // the legend is HTML, in the page's direction
    },
    marks: [
      Plot.rectY(bars, {
        x1: "start",
        x2: "next",
        y: "count",
        fill: "type",
        inset: 0.5,
        // The tip says what a user asks of a bar, in the page's language: "13 Jan / Talks: 2".
        title: (bar: Bar) => `${day(bar.start)}\n${isolate(`${label(bar.type)}: ${count(bar.count)}`)}`,
        tip: { lineHeight: 1.4 }, // room for Arabic letters above and below the line
      }),
      Plot.ruleY([0]),
    ],
  });
  // With a legend, Plot wraps the chart in a <figure>: always an HTMLElement here.
  return withoutStyleElements(figure as HTMLElement);
}

/**
 * Where the x axis names its buckets: under the middle of each bucket, by the day it starts
 * (Plot's own ticks for a day or two fall every few hours and repeat the day's name). When the
 * buckets are too many for their names to fit, every second, third… one is named.
 */
function bucketTicks(bars: Bar[], unit: CountUnit, plotWidth: number): Map<number, Date> {
  const ticks = new Map<number, Date>();
  if (bars.length === 0) return ticks;
  const first = Math.min(...bars.map((bar) => bar.start.getTime()));
  const last = Math.max(...bars.map((bar) => bar.next.getTime()));
  const starts: Date[] = [];
  for (let start = new Date(first); start.getTime() < last; start = addUnit(start, unit)) starts.push(start);
  const fitting = Math.max(1, Math.floor(plotWidth / TICK_SPACING[unit]));
  const every = Math.ceil(starts.length / fitting);
  starts.forEach((start, i) => {
    if (i % every === 0) ticks.set((start.getTime() + addUnit(start, unit).getTime()) / 2, start);
  });
  return ticks;
}

/** Room each axis date needs, in pixels ("13 Jan", "Jan 2020"), with a gap to the next. */
const TICK_SPACING: Record<CountUnit, number> = { day: 64, week: 64, month: 80, year: 56 };

/** The height of the tallest bar: its types' counts stacked. */
function highestStack(bars: Bar[]): number {
  const totals = new Map<number, number>();
  for (const bar of bars) totals.set(bar.start.getTime(), (totals.get(bar.start.getTime()) ?? 0) + bar.count);
  return Math.max(1, ...totals.values());
}

/** A text Plot draws, kept in its own direction inside the left-to-right SVG (see the top). */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** One bar segment per (bucket, type) with a count; the bar spans the whole bucket. */
function toBars(counts: CountBucket[], unit: CountUnit): Bar[] {
  return counts.flatMap((bucket) => {
    const start = utcDay(bucket.start);
    const next = bucket.end ? addDays(utcDay(bucket.end), 1) : addUnit(start, unit);
    return Object.entries(bucket.by_type)
      .filter(([, count]) => count > 0)
      .map(([type, count]) => ({ start, next, type, count }));
  });
}

function withoutStyleElements<T extends Element>(figure: T): T {
  for (const style of figure.querySelectorAll("style")) style.remove();
  return figure;
}

function utcDay(iso: string): Date {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`);
}

function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * 86_400_000);
}

function addUnit(day: Date, unit: CountUnit): Date {
  if (unit === "day") return addDays(day, 1);
  if (unit === "week") return addDays(day, 7);
  const next = new Date(day);
  if (unit === "month") next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

/** Axis and tip dates in the page's language, as precise as the bucket. */
function dayFormat(unit: CountUnit): (day: Date) => string {
  const fields: Intl.DateTimeFormatOptions =
    unit === "year" ? { year: "numeric" } : unit === "month" ? { month: "short", year: "numeric" } : { day: "numeric", month: "short" };
  const format = new Intl.DateTimeFormat(LOCALE, { ...fields, timeZone: "UTC" });
  return (day: Date) => format.format(day);
}

function numberFormat(): (n: number) => string {
  const format = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
  return (n: number) => (Number.isInteger(n) ? format.format(n) : "");
}
