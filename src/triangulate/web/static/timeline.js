// Zoom and pan for the timeline picture. The server draws the SVG complete; this only
// re-positions bars, labels and axis ticks for a narrower or wider date window.
(function () {
  "use strict";
  var svg = document.getElementById("timeline");
  var dataNode = document.getElementById("timeline-data");
  if (!svg || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var width = data.width;
  var full = [data.d0, data.d1];
  var view = full.slice();
  var links = svg.querySelectorAll("#bars a.ev");
  var axis = document.getElementById("axis");
  var NS = "http://www.w3.org/2000/svg";
  var MIN_DAYS = 2;
  var MIN_BAR = 6;

  function iso(ordinal) {
    // Python's date ordinal 1 is 0001-01-01; 719163 is 1970-01-01.
    var d = new Date((ordinal - 719163) * 86400000);
    return d.toISOString().slice(0, 10);
  }

  function ordinalOf(y, m) {
    return Math.round(Date.UTC(y, m - 1, 1) / 86400000) + 719163;
  }

  function ticks(d0, d1) {
    var days = Math.max(1, d1 - d0), out = [], t, y, m, step;
    if (days <= 45) {
      step = days <= 12 ? 1 : 7;
      for (t = Math.ceil(d0); t <= d1; t += step) { out.push([t, iso(t)]); }
      return out;
    }
    var start = new Date((Math.floor(d0) - 719163) * 86400000);
    if (days <= 900) {
      step = days <= 200 ? 1 : 3;
      y = start.getUTCFullYear(); m = start.getUTCMonth() + 1;
      for (;;) {
        t = ordinalOf(y, m);
        if (t > d1) { break; }
        if (t >= d0) { out.push([t, y + "-" + (m < 10 ? "0" : "") + m]); }
        m += step;
        while (m > 12) { m -= 12; y += 1; }
      }
      return out;
    }
    var endYear = new Date((Math.floor(d1) - 719163) * 86400000).getUTCFullYear();
    step = Math.max(1, Math.floor((endYear - start.getUTCFullYear()) / 10));
    for (y = start.getUTCFullYear(); y <= endYear; y += step) {
      t = ordinalOf(y, 1);
      if (t >= d0 && t <= d1) { out.push([t, String(y)]); }
    }
    return out;
  }

  function draw() {
    var d0 = view[0], d1 = view[1], scale = width / (d1 - d0);
    links.forEach(function (a, i) {
      var rect = a.querySelector("rect"), label = a.querySelector("text");
      var x = (data.t0[i] - d0) * scale;
      var w = Math.max(MIN_BAR, (data.t1[i] - data.t0[i]) * scale);
      rect.setAttribute("x", x.toFixed(2));
      rect.setAttribute("width", w.toFixed(2));
      label.setAttribute("x", (x + w + 4).toFixed(2));
    });
    var height = svg.viewBox.baseVal.height;
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    ticks(d0, d1).forEach(function (tick) {
      var x = (tick[0] - d0) * scale;
      var line = document.createElementNS(NS, "line");
      line.setAttribute("class", "tick");
      line.setAttribute("x1", x); line.setAttribute("x2", x);
      line.setAttribute("y1", 18); line.setAttribute("y2", height);
      var text = document.createElementNS(NS, "text");
      text.setAttribute("class", "tick-label");
      text.setAttribute("x", x + 2); text.setAttribute("y", 12);
      text.textContent = tick[1];
      axis.appendChild(line); axis.appendChild(text);
    });
    svg.setAttribute("data-view", iso(Math.floor(d0)) + "/" + iso(Math.floor(d1)));
  }

  function zoom(factor, centre) {
    var span = view[1] - view[0];
    var next = Math.max(MIN_DAYS, span * factor);
    var c = centre === undefined ? (view[0] + view[1]) / 2 : centre;
    var ratio = (c - view[0]) / span;
    view = [c - ratio * next, c - ratio * next + next];
    draw();
  }

  function dayAt(clientX) {
    var box = svg.getBoundingClientRect();
    var units = (clientX - box.left) / box.width * svg.viewBox.baseVal.width;
    return view[0] + units / width * (view[1] - view[0]);
  }

  document.getElementById("zoom-controls").hidden = false;
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var what = button.getAttribute("data-zoom");
      if (what === "in") { zoom(0.5); }
      else if (what === "out") { zoom(2); }
      else { view = full.slice(); draw(); }
    });
  });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 0.8 : 1.25, dayAt(event.clientX));
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, view: view.slice(), moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var box = svg.getBoundingClientRect();
    var units = (event.clientX - drag.x) / box.width * svg.viewBox.baseVal.width;
    if (Math.abs(units) > 3) { drag.moved = true; }
    var shift = units / width * (drag.view[1] - drag.view[0]);
    view = [drag.view[0] - shift, drag.view[1] - shift];
    draw();
  });
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) {
      // A drag that ends on a bar must not also open the event.
      svg.addEventListener("click", function (e) { e.preventDefault(); }, { once: true, capture: true });
    }
    drag = null;
  });
})();
