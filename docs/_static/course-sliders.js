// Kernel-free sliders: each <input type=range> steps through frames drawn when the site was built.
document.addEventListener("DOMContentLoaded", () => {
  for (const figure of document.querySelectorAll("figure.course-slider")) {
    const input = figure.querySelector("input.course-slider-input");
    const image = figure.querySelector("img.course-slider-frame");
    const output = figure.querySelector("output.course-slider-value");
    const values = JSON.parse(input.dataset.values);
    const frames = JSON.parse(input.dataset.frames);
    const show = () => {
      const i = Number(input.value);
      image.src = frames[i];
      image.alt = image.alt.replace(/= [^=]*$/, "= " + values[i]);
      output.textContent = values[i];
    };
    input.addEventListener("input", show);
    frames.forEach((src) => { new Image().src = src; });   // preload: moving the slider never waits
  }
});
