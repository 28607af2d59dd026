// The course site's own script: the phone navigation, figures at full size, the kernel-free sliders.
document.addEventListener("DOMContentLoaded", () => {
  // The themes render two ☰ (and two "on this page") buttons and bind only the first, hidden one
  // (pydata-sphinx-theme issue #2451): every other button of the kind clicks that one.
  for (const kind of ["primary", "secondary"]) {
    const [first, ...others] = document.querySelectorAll(`.${kind}-toggle`);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        first.click();
      }, true);
    }
  }
  document.querySelectorAll("figure.course-slider").forEach(slider);
  // A figure of a notebook shows at full size in its box, which scrolls sideways, when clicked, tapped or
  // pressed (Enter, Space), and back (a phone shows it at a third of that size, too small to read).
  for (const img of document.querySelectorAll("img.course-figure")) {
    const toggle = () => {
      const zoomed = img.parentElement.classList.toggle("course-figure-zoomed");
      img.setAttribute("aria-pressed", String(zoomed));
    };
    img.addEventListener("click", toggle);
    img.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle();
      }
    });
  }
});

// A slider block: controls (range inputs, radio rows) over frames drawn when the site was built. The frame of
// a combination of positions is data.frames[i], i the positions read as a mixed-radix number (first control
// slowest); data.off[i] flags the controls that setting does not use (bit k: control k).
function slider(figure) {
  const data = JSON.parse(figure.dataset.slider);
  const image = figure.querySelector("img.course-slider-frame");
  const controls = [...figure.querySelectorAll("[data-control]")];
  const sizes = data.grids.map((g) => g.values.length);
  const read = () => controls.map((c) => {
    const input = c.querySelector("input[type=range]") || c.querySelector("input:checked");
    return Number(input.value);
  });
  const index = (p) => p.reduce((acc, v, k) => acc * sizes[k] + v, 0);
  const url = (i) => data.base + String(data.frames[i]).padStart(3, "0") + ".png";
  const said = (k, v) => `${data.grids[k].label} = ${data.grids[k].values[v]}`;
  const loaded = new Set();
  let seen = false;
  const preload = (p) => {           // every frame one move away from here
    p.forEach((_, k) => {
      for (let v = 0; v < sizes[k]; v++) {
        const q = p.slice();
        q[k] = v;
        const src = url(index(q));
        if (!loaded.has(src)) { loaded.add(src); new Image().src = src; }
      }
    });
  };
  const show = () => {
    const p = read();
    const i = index(p);
    image.src = url(i);
    image.alt = `${data.title} ${data.at} ${p.map((v, k) => said(k, v)).join(", ")}`;
    controls.forEach((c, k) => {
      const off = (data.off[i] >> k) & 1;
      c.classList.toggle("course-slider-off", Boolean(off));
      c.title = off ? `${data.unused}: ${data.reasons[k]}` : "";
      const range = c.querySelector("input[type=range]");
      if (range) {
        range.setAttribute("aria-valuetext", said(k, p[k]));
        c.querySelector("output").textContent = data.grids[k].values[p[k]];
        range.setAttribute("aria-disabled", off ? "true" : "false");
      }
    });
    if (seen) preload(p);
  };
  for (const input of figure.querySelectorAll("input")) input.addEventListener("input", show);
  image.addEventListener("click", () => figure.classList.toggle("course-slider-zoomed"));
  new IntersectionObserver((entries, observer) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen = true;
      observer.disconnect();
      preload(read());
    }
  }, {rootMargin: "200px"}).observe(figure);
  show();
}
