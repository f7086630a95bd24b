// Runs on every page: the fonts and stylesheet, and htmx for the partial updates.
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/700.css";
import "@fontsource/noto-naskh-arabic/400.css";
import "@fontsource/noto-naskh-arabic/700.css";
import "./styles/base.css";
import htmx from "htmx.org";

declare global {
  interface Window {
    htmx: typeof htmx;
  }
}
window.htmx = htmx;
