// Building elements from untrusted text: text is only ever set as textContent, never as HTML.

type Attributes = Record<string, string | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) element.append(child);
  }
  return element;
}

/** Show a message in an island's status line (a live region, read out by screen readers). */
export function status(region: Element | null, message: string, isError = false): void {
  if (!region) return;
  region.textContent = message;
  region.classList.toggle("error", isError);
}
