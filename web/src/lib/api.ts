// Reading the public API the way any client does; errors arrive as RFC 9457 problem details.

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
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
