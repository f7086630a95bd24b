// What every island knows about the page it runs in: its language, direction and labels.

export type Language = "en" | "ar";

export const lang: Language = document.documentElement.lang === "ar" ? "ar" : "en";
export const rtl = document.documentElement.dir === "rtl";
// Dates and numbers in the page's language; Arabic with the Latin digits the pages use (as in
// Libya and the Maghreb).
export const LOCALE = lang === "ar" ? "ar-u-nu-latn" : "en";

let labels: Record<string, string> | undefined;

/** A label in the page's language, from the JSON block the server renders. */
export function label(key: string, values: Record<string, string | number> = {}): string {
  labels ??= JSON.parse(document.getElementById("waqai-labels")?.textContent ?? "{}");
  const text = labels?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** A record's text in the page's language, else English, else any. */
export function pick(texts: Record<string, string> | null | undefined): string {
  if (!texts) return "";
  return texts[lang] || texts.en || Object.values(texts)[0] || "";
}
