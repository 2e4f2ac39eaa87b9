// The charts' one helper, for progress.js (the coordinator page) and figures.js (the service figures page).
"use strict";

/** An SVG element with its attributes and, if given, its text. */
function svgElement(name, attributes, text) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}
