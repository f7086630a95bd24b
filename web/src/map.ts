// The map page's island (built out in the map page's change).
export {};
