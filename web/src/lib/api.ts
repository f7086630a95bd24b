// Reading the public API the way any client does; errors arrive as RFC 9457 problem details.
import { label } from "./page";

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The API's timeline URL for a page's filters (`query`) plus what an island needs (a value
 * left undefined is the API's default). */
export function timelineURL(query: string | undefined, extra: Record<string, string | undefined>): string {
  const params = new URLSearchParams(query ?? "");
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) params.set(name, value);
  return `/v1/timeline?${params}`;
}

/** What an island says when reading failed: the API's problem detail, in the page's words. */
export function problemText(error: unknown): string {
  const detail = error instanceof Problem ? error.detail : String(error);
  return label("common.error", { detail });
}

export async function getJSON<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { Accept: "application/json", ...init.headers } });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    return new Problem(response.status, body.detail ?? body.title ?? response.statusText);
  } catch {
    return new Problem(response.status, response.statusText);
  }
}
