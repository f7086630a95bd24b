// The editor's date helper: "around", "between" and "month of" written as EDTF into the date
// field, so an editor need not know the notation (and can still type it).
import { el } from "./lib/dom";
import { label } from "./lib/page";

type Mode = "day" | "around" | "between" | "month";

/** The EDTF for a mode and its inputs; "" while an input it needs is empty. */
export function edtf(mode: Mode, first: string, last: string, month: string): string {
  if (mode === "month") return month;
  if (!first) return "";
  if (mode === "around") return `${first}~`;
  if (mode === "between") return last ? `${first}/${last}` : "";
  return first;
}

function field(text: string, input: HTMLElement): HTMLLabelElement {
  return el("label", {}, text, input);
}

function mount(helper: HTMLElement, target: HTMLInputElement): void {
  const mode = el("select", { "aria-label": label("editor.edtf.mode") });
  for (const name of ["day", "around", "between", "month"] as Mode[]) {
    mode.append(el("option", { value: name }, label(`editor.edtf.${name}`)));
  }
  const first = el("input", { type: "date", name: "" });
  const last = el("input", { type: "date", name: "" });
  const month = el("input", { type: "month", name: "" });
  const lastField = field(label("editor.edtf.last"), last);
  const firstField = field(label("editor.edtf.first"), first);
  const monthField = field(label("editor.edtf.month_field"), month);
  const apply = el("button", { type: "button" }, label("editor.edtf.apply"));
  const show = () => {
    const chosen = mode.value as Mode;
    firstField.hidden = chosen === "month";
    lastField.hidden = chosen !== "between";
    monthField.hidden = chosen !== "month";
  };
  mode.addEventListener("change", show);
  apply.addEventListener("click", () => {
    const value = edtf(mode.value as Mode, first.value, last.value, month.value);
    if (value) target.value = value;
  });
  helper.append(field(label("editor.edtf.mode"), mode), firstField, lastField, monthField, apply);
  show();
  helper.hidden = false;
}

for (const helper of document.querySelectorAll<HTMLElement>(".edtf-helper")) {
  const target = document.getElementById(helper.dataset.for ?? "");
  if (target instanceof HTMLInputElement) mount(helper, target);
}
