// HUD's layout checks, run in the page by the browser layout test (browser_layout.rs) as a
// WebDriver script: returns one line per problem found, none when the page looks right.
const problems = [];
const vw = document.documentElement.clientWidth;
const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (typeof el.className === 'string' && el.className.trim()
     ? '.' + el.className.trim().split(/\s+/).join('.') : '');
// Out of the flow (dropdowns, visually hidden text) or inside a scrolling box: not checked.
const exempt = (el) => {
  for (let a = el; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.position === 'absolute' || s.position === 'fixed') return true;
    if (a !== el && s.overflowX !== 'visible') return true;
  }
  return false;
};
if (document.documentElement.scrollWidth > vw + 1) {
  problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
}
// An element's box, less negative side margins (a Bootstrap row reaches into its container's
// padding on purpose; its columns' padding takes the space back).
const inner = (el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return { left: r.left - Math.min(0, parseFloat(s.marginLeft) || 0),
           right: r.right + Math.min(0, parseFloat(s.marginRight) || 0), width: r.width, height: r.height };
};
const outside = (r, pr) => r.right > pr.right + 1 || r.left < pr.left - 1;
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
  const r = inner(el);
  if (r.width === 0 || r.height === 0 || exempt(el)) continue;
  if (r.right > vw + 1 || r.left < -1) {
    problems.push(`${name(el)} reaches past the viewport (${r.left.toFixed(0)}..${r.right.toFixed(0)}, viewport ${vw})`);
  }
  const p = el.parentElement;
  const pr = p.getBoundingClientRect();
  if (getComputedStyle(p).overflowX === 'visible' && outside(r, pr)) {
    problems.push(`${name(el)} sticks out of ${name(p)} (${r.left.toFixed(0)}..${r.right.toFixed(0)} in ${pr.left.toFixed(0)}..${pr.right.toFixed(0)})`);
  }
}
// A table that scrolls sideways hides columns on a phone: only the wide ones (many columns,
// marked `data-wide` on their scrolling box) may; a narrow table has to fit.
document.querySelectorAll('.table-responsive:not([data-wide])').forEach((box) => {
  if (box.scrollWidth > box.clientWidth + 1 && box.getBoundingClientRect().width > 0) {
    problems.push(`${name(box.querySelector('table') || box)} scrolls sideways (${box.scrollWidth} > ${box.clientWidth}); mark it data-wide if it must`);
  }
});
// Text running out of its element (a long word, a long value without spaces).
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const el = node.parentElement;
  if (!node.textContent.trim() || el.closest('svg, script, style, title') || exempt(el)) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  const r = range.getBoundingClientRect();
  if (r.width === 0) continue;
  const block = [el, ...(function* () { for (let a = el.parentElement; a; a = a.parentElement) yield a; })()]
    .find((a) => getComputedStyle(a).display !== 'inline');
  // A box that clips (an ellipsis) or scrolls holds its text by design.
  if (block && getComputedStyle(block).overflowX === 'visible' && outside(r, block.getBoundingClientRect())) {
    problems.push(`text ${JSON.stringify(node.textContent.trim().slice(0, 40))} runs out of ${name(block)}`);
  }
}
// Chart and cloud labels, compared on screen (rotated words included).
document.querySelectorAll('svg').forEach((svg, n) => {
  const texts = [...svg.querySelectorAll('text')]
    .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0);
  if (!texts.length) return;
  const where = `${name(svg)} #${n}` + (svg.closest('[id]') ? ` in #${svg.closest('[id]').id}` : '');
  const vb = svg.viewBox.baseVal;
  const m = svg.getScreenCTM();
  let box = svg.getBoundingClientRect();
  if (vb && vb.width > 0 && m) {
    const a = new DOMPoint(vb.x, vb.y).matrixTransform(m);
    const b = new DOMPoint(vb.x + vb.width, vb.y + vb.height).matrixTransform(m);
    box = { left: Math.min(a.x, b.x), right: Math.max(a.x, b.x), top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y) };
  }
  // A chart scaled down to a phone's width scales its labels down too: under 9 px on screen
  // they cannot be read. (A cloud's smallest words are small by design: its sizes are counts.)
  if (!svg.matches('svg.cloud')) {
    texts.forEach((t) => {
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
      if (px < 9) problems.push(`${where}: label ${JSON.stringify(t.textContent.trim().slice(0, 30))} is drawn at ${px.toFixed(1)} px`);
    });
  }
  const rects = texts.map((t) => t.getBoundingClientRect());
  const label = (i) => JSON.stringify(texts[i].textContent.trim().slice(0, 30));
  rects.forEach((r, i) => {
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      problems.push(`${where}: label ${label(i)} leaves the viewBox`);
    }
    for (let j = i + 1; j < rects.length; j++) {
      const q = rects[j];
      const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
      const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
      if (w > 1 && h > 1) problems.push(`${where}: labels ${label(i)} and ${label(j)} overlap`);
    }
  });
});
// A legend entry's swatch sits on the line of its label.
document.querySelectorAll('#trend-legend > *').forEach((item) => {
  const swatch = item.querySelector('svg, .swatch');
  const words = [...item.childNodes].find((n) => n.nodeType === 3 && n.textContent.trim());
  if (!swatch || !words) return;
  const range = document.createRange();
  range.selectNodeContents(words);
  const a = swatch.getBoundingClientRect();
  const b = range.getBoundingClientRect();
  const middle = (a.top + a.bottom) / 2;
  if (middle < b.top || middle > b.bottom) {
    problems.push(`legend entry ${JSON.stringify(item.textContent.trim())}: its swatch is not beside its label`);
  }
});
return problems;
