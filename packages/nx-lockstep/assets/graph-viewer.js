// nx-lockstep graph viewer: inlined into the HTML that `lockstep graph` writes. Plain browser
// JavaScript, no framework, no network: it draws the positions computed when the file was
// written (report/graph/graph-layout.ts) and handles grouping, views, search, selection and keys.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var svg = document.getElementById('graph');
  var viewport = document.getElementById('viewport');
  var panel = document.getElementById('details');
  var search = document.getElementById('search');
  var state = { view: 'full', selected: null, expanded: {}, box: null };
  var nodeEls = []; // full view, per node index
  var viewEls = []; // deployables view, per view node index
  var groupEls = [];
  var layers = {};
  var STRENGTH = ['deployable-import', 'contract', 'runtime-import', 'type-only'];

  function el(name, attrs, parent) {
    var element = document.createElementNS(SVG, name);
    for (var key in attrs) element.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(element);
    return element;
  }
  function text(parent, x, y, value, cls) {
    var t = el('text', { x: x, y: y, class: cls || '' }, parent);
    t.textContent = value;
    return t;
  }
  function clear(element) {
    while (element.firstChild) element.removeChild(element.firstChild);
  }
  function center(b) {
    return [b[0] + b[2] / 2, b[1] + b[3] / 2];
  }
  /** Where the line from a box's centre towards point p leaves the box (arrows end on borders). */
  function border(b, p) {
    var c = center(b);
    var dx = p[0] - c[0];
    var dy = p[1] - c[1];
    if (dx === 0 && dy === 0) return c;
    var scale = Math.min(dx ? b[2] / 2 / Math.abs(dx) : Infinity, dy ? b[3] / 2 / Math.abs(dy) : Infinity);
    return [c[0] + dx * Math.min(scale, 1), c[1] + dy * Math.min(scale, 1)];
  }
  function link(parent, from, to, attrs) {
    var a = border(from, center(to));
    var b = border(to, center(from));
    attrs.x1 = a[0];
    attrs.y1 = a[1];
    attrs.x2 = b[0];
    attrs.y2 = b[1];
    return el('line', attrs, parent);
  }

  // ---------------------------------------------------------------- drawing
  function nodeClass(node) {
    var cls = 'node ' + (node.k === 'd' ? 'deployable' : 'library bucket-' + node.bk);
    if (node.a === 1) cls += ' affected';
    return cls;
  }
  function drawNode(parent, b, label, cls, fill, stroke, id) {
    var g = el('g', { class: cls, tabindex: '0', role: 'button', 'data-id': id, 'aria-label': label }, parent);
    el('rect', { x: b[0], y: b[1], width: b[2], height: b[3], fill: fill, stroke: stroke }, g);
    text(g, b[0] + 10, b[1] + b[3] / 2 + 4, label);
    return g;
  }

  function drawFull() {
    layers.groups = el('g', { id: 'groups' }, viewport);
    layers.edges = el('g', { id: 'edges' }, viewport);
    layers.lockstep = el('g', { id: 'lockstep' }, viewport);
    layers.nodes = el('g', { id: 'nodes' }, viewport);
    data.groups.forEach(function (group, gi) {
      var g = el('g', { class: 'group', 'data-group': group.id }, layers.groups);
      var b = group.b;
      var frame = el('rect', { class: 'group-box', x: b[0], y: b[1], width: b[2], height: b[3] }, g);
      frame.addEventListener('click', function () {
        if (!state.expanded[gi] && !state.dragged) toggleGroup(gi);
      });
      var label = text(g, b[0] + 10, b[1] + 19, '▾ ' + group.label, 'group-label');
      label.setAttribute('tabindex', '0');
      label.setAttribute('role', 'button');
      label.addEventListener('click', function () {
        toggleGroup(gi);
      });
      label.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') toggleGroup(gi);
      });
      var summary = group.m.length + ' projects';
      var deployables = group.m.filter(function (i) {
        return data.nodes[i].k === 'd';
      });
      var affected = deployables.filter(function (i) {
        return data.nodes[i].a === 1;
      });
      if (deployables.length) summary += ' · ' + deployables.length + ' deployables';
      if (affected.length) summary += ' · ' + affected.length + ' affected';
      // A collapsed group is read from afar: its summary grows with its box.
      var size = Math.max(14, Math.min(b[2] / 14, b[3] / 4, 120));
      var line = text(g, b[0] + 10, b[1] + 26 + size, summary, 'group-summary hidden');
      line.setAttribute('font-size', Math.round(size));
      groupEls.push({ g: g, label: label, summary: g.lastChild, size: Math.round(size) });
    });
    data.nodes.forEach(function (node, i) {
      var g = drawNode(layers.nodes, node.b, node.id, nodeClass(node), node.fill, node.stroke, node.id);
      g.addEventListener('click', function () {
        select(i);
      });
      nodeEls.push(g);
    });
    (data.lockstep || []).forEach(function (group, li) {
      var colour = ['#0891b2', '#c026d3', '#65a30d', '#ea580c', '#4f46e5'][li % 5];
      group.m.forEach(function (i) {
        var b = data.nodes[i].b;
        var r = el(
          'rect',
          { class: 'lockstep', x: b[0] - 5, y: b[1] - 5, width: b[2] + 10, height: b[3] + 10, stroke: colour },
          layers.lockstep,
        );
        el('title', {}, r).textContent = 'lock-step group: ' + group.label;
      });
    });
  }

  function drawView() {
    layers.view = el('g', { id: 'view', class: 'hidden' }, viewport);
    var edges = el('g', {}, layers.view);
    data.view.edges.forEach(function (edge) {
      var line = link(edges, data.view.nodes[edge[0]].b, data.view.nodes[edge[1]].b, { class: 'edge kind-' + edge[2] });
      styleEdge(line, edge[2]);
      el('title', {}, line).textContent = edge[3] + ' project edge(s), ' + data.kinds[edge[2]];
    });
    var nodes = el('g', {}, layers.view);
    data.view.nodes.forEach(function (vn, vi) {
      var node = vn.n === undefined ? null : data.nodes[vn.n];
      var cls = node ? nodeClass(node) : 'node library-group';
      var g = drawNode(
        nodes,
        vn.b,
        vn.label,
        cls,
        node ? node.fill : '#eef2ff',
        node ? node.stroke : '#6366f1',
        node ? node.id : vn.id,
      );
      g.addEventListener('click', function () {
        if (node) select(vn.n);
        else showLibraryGroup(vi);
      });
      viewEls.push(g);
    });
  }

  function styleEdge(line, kind) {
    var style = data.edgeStyle[data.kinds[kind]];
    line.setAttribute('stroke', style.colour);
    if (style.dashed) line.setAttribute('stroke-dasharray', '5 4');
    line.setAttribute('marker-end', 'url(#arrow-' + kind + ')');
  }

  /** Full-view edges between what is visible: a node, or its group's box when collapsed. */
  function drawFullEdges() {
    clear(layers.edges);
    var seen = {};
    data.edges.forEach(function (edge, ei) {
      var s = data.nodes[edge[0]];
      var t = data.nodes[edge[1]];
      var sOpen = state.expanded[s.g];
      var tOpen = state.expanded[t.g];
      if (!sOpen && !tOpen && s.g === t.g) return;
      var from = sOpen ? 'n' + edge[0] : 'g' + s.g;
      var to = tOpen ? 'n' + edge[1] : 'g' + t.g;
      var key = from + '>' + to;
      // One line per pair of boxes: the kind that says most about coupling is drawn (over the others).
      var rank = STRENGTH.indexOf(data.kinds[edge[2]]);
      if (seen[key] !== undefined && seen[key] <= rank) return;
      seen[key] = rank;
      var line = link(layers.edges, sOpen ? s.b : data.groups[s.g].b, tOpen ? t.b : data.groups[t.g].b, {
        class: 'edge',
        'data-edge': ei,
        'data-s': edge[0],
        'data-t': edge[1],
      });
      styleEdge(line, edge[2]);
    });
    highlightEdges();
  }

  // ---------------------------------------------------------------- grouping
  function setGroup(gi, open) {
    state.expanded[gi] = open;
    var group = groupEls[gi];
    group.g.classList.toggle('collapsed', !open);
    group.summary.classList.toggle('hidden', open);
    group.label.textContent = (open ? '▾ ' : '▸ ') + data.groups[gi].label;
    group.label.style.fontSize = open ? '' : group.size + 'px';
    group.label.setAttribute('y', data.groups[gi].b[1] + (open ? 19 : 12 + group.size));
    group.summary.setAttribute('y', data.groups[gi].b[1] + (open ? 0 : 30 + 2 * group.size));
    data.groups[gi].m.forEach(function (i) {
      nodeEls[i].classList.toggle('hidden', !open);
    });
  }
  function toggleGroup(gi) {
    setGroup(gi, !state.expanded[gi]);
    drawFullEdges();
  }
  function setAll(open) {
    data.groups.forEach(function (_, gi) {
      setGroup(gi, open);
    });
    drawFullEdges();
  }

  // ---------------------------------------------------------------- views and camera
  function setView(view) {
    state.view = view;
    ['groups', 'edges', 'lockstep', 'nodes'].forEach(function (name) {
      layers[name].classList.toggle('hidden', view !== 'full');
    });
    layers.view.classList.toggle('hidden', view !== 'deployables');
    document.getElementById('view-full').setAttribute('aria-pressed', String(view === 'full'));
    document.getElementById('view-deployables').setAttribute('aria-pressed', String(view === 'deployables'));
    fit();
  }
  function setBox(box) {
    state.box = box;
    svg.setAttribute('viewBox', box.join(' '));
  }
  function fit() {
    var w = state.view === 'full' ? data.size[0] : data.view.size[0];
    var h = state.view === 'full' ? data.size[1] : data.view.size[1];
    setBox([-10, -10, Math.max(w, 200) + 20, Math.max(h, 150) + 20]);
  }
  function zoom(factor, cx, cy) {
    var b = state.box;
    if (cx === undefined) {
      cx = b[0] + b[2] / 2;
      cy = b[1] + b[3] / 2;
    }
    setBox([cx - (cx - b[0]) * factor, cy - (cy - b[1]) * factor, b[2] * factor, b[3] * factor]);
  }
  function focusOn(b) {
    var w = Math.max(state.box[2], 500);
    var scale = Math.min(1, 600 / w);
    var width = Math.max(400, w * scale);
    var height = width * (state.box[3] / state.box[2]);
    var c = center(b);
    setBox([c[0] - width / 2, c[1] - height / 2, width, height]);
  }
  function toGraph(event) {
    var rect = svg.getBoundingClientRect();
    var b = state.box;
    var scale = Math.max(b[2] / rect.width, b[3] / rect.height);
    var offsetX = (rect.width * scale - b[2]) / 2;
    var offsetY = (rect.height * scale - b[3]) / 2;
    return [
      b[0] - offsetX + (event.clientX - rect.left) * scale,
      b[1] - offsetY + (event.clientY - rect.top) * scale,
      scale,
    ];
  }
  svg.addEventListener(
    'wheel',
    function (event) {
      event.preventDefault();
      var p = toGraph(event);
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
    },
    { passive: false },
  );
  var drag = null;
  svg.addEventListener('mousedown', function (event) {
    drag = { x: event.clientX, y: event.clientY, box: state.box.slice(), scale: toGraph(event)[2], moved: false };
  });
  window.addEventListener('mousemove', function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      svg.classList.add('panning');
    }
    setBox([drag.box[0] - dx * drag.scale, drag.box[1] - dy * drag.scale, drag.box[2], drag.box[3]]);
  });
  window.addEventListener('mouseup', function () {
    state.dragged = drag ? drag.moved : false;
    drag = null;
    svg.classList.remove('panning');
  });

  // ---------------------------------------------------------------- selection and details
  function names(indexes) {
    return indexes.map(function (i) {
      return data.nodes[i].id;
    });
  }
  function listHtml(role, items) {
    var ul = document.createElement('ul');
    ul.setAttribute('data-role', role);
    items.forEach(function (item) {
      var li = document.createElement('li');
      li.textContent = item;
      ul.appendChild(li);
    });
    if (!items.length) {
      var none = document.createElement('li');
      none.className = 'muted';
      none.textContent = 'none';
      none.setAttribute('data-none', '');
      ul.appendChild(none);
    }
    return ul;
  }
  function heading(value) {
    var h = document.createElement('h2');
    h.textContent = value;
    return h;
  }
  function paragraph(value, cls) {
    var p = document.createElement('p');
    p.textContent = value;
    if (cls) p.className = cls;
    return p;
  }

  function clearHighlights() {
    nodeEls.concat(viewEls).forEach(function (g) {
      g.classList.remove('selected', 'hl-symbol', 'hl-project');
    });
  }
  function markDeployables(indexes, cls) {
    indexes.forEach(function (i) {
      nodeEls[i].classList.add(cls);
      data.view.nodes.forEach(function (vn, vi) {
        if (vn.n === i) viewEls[vi].classList.add(cls);
      });
    });
  }
  function highlightEdges() {
    var lines = layers.edges.children;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var lit =
        state.selected !== null &&
        (Number(line.getAttribute('data-s')) === state.selected ||
          Number(line.getAttribute('data-t')) === state.selected);
      line.classList.toggle('lit', lit);
      line.classList.toggle('dim', state.selected !== null && !lit);
    }
  }

  function select(i) {
    var node = data.nodes[i];
    state.selected = i;
    clearHighlights();
    nodeEls[i].classList.add('selected');
    data.view.nodes.forEach(function (vn, vi) {
      if (vn.n === i) viewEls[vi].classList.add('selected');
    });
    if (!state.expanded[node.g]) {
      setGroup(node.g, true);
      drawFullEdges();
    }
    highlightEdges();
    clear(panel);
    panel.setAttribute('data-selected', node.id);
    panel.appendChild(heading(node.id + (node.k === 'd' ? ' (deployable)' : ' (library)')));
    panel.appendChild(paragraph(node.root || '(workspace root)', 'muted'));
    if (node.k === 'l') {
      markDeployables(
        node.p.filter(function (d) {
          return node.s.indexOf(d) < 0;
        }),
        'hl-project',
      );
      markDeployables(node.s, 'hl-symbol');
      panel.appendChild(heading('Redeploys at symbol precision (' + node.s.length + ')'));
      panel.appendChild(paragraph('deployables whose runtime code reaches this library', 'muted'));
      panel.appendChild(listHtml('symbol', names(node.s)));
      panel.appendChild(heading('Redeploys at project precision (' + node.p.length + ')'));
      panel.appendChild(
        paragraph('deployables that depend on it in the Nx project graph (what nx affected deploys)', 'muted'),
      );
      panel.appendChild(listHtml('project', names(node.p)));
    } else if (node.x !== undefined) {
      var status = paragraph(node.a === 1 ? 'AFFECTED: ' + node.r : 'not affected');
      status.setAttribute('data-role', 'status');
      panel.appendChild(status);
      panel.appendChild(heading('Why (lockstep explain ' + node.id + ')'));
      var pre = document.createElement('pre');
      pre.id = 'explanation';
      pre.textContent = node.x;
      panel.appendChild(pre);
    } else {
      panel.appendChild(
        paragraph('Run lockstep graph with --base <ref> to see whether a change reaches it, and why.', 'muted'),
      );
    }
    var uses = [];
    var usedBy = [];
    data.edges.forEach(function (edge) {
      if (edge[0] === i) uses.push(data.nodes[edge[1]].id + ' (' + data.kinds[edge[2]] + ')');
      if (edge[1] === i) usedBy.push(data.nodes[edge[0]].id + ' (' + data.kinds[edge[2]] + ')');
    });
    panel.appendChild(heading('Uses (' + uses.length + ')'));
    panel.appendChild(listHtml('uses', uses));
    panel.appendChild(heading('Used by (' + usedBy.length + ')'));
    panel.appendChild(listHtml('used-by', usedBy));
  }

  function showLibraryGroup(vi) {
    var vn = data.view.nodes[vi];
    state.selected = null;
    clearHighlights();
    viewEls[vi].classList.add('selected');
    clear(panel);
    panel.setAttribute('data-selected', vn.id);
    panel.appendChild(heading(vn.label));
    var symbol = {};
    vn.m.forEach(function (i) {
      data.nodes[i].s.forEach(function (d) {
        symbol[d] = true;
      });
    });
    var reached = Object.keys(symbol).map(Number);
    markDeployables(reached, 'hl-symbol');
    panel.appendChild(heading('Libraries'));
    panel.appendChild(listHtml('members', names(vn.m)));
    panel.appendChild(heading('A change to one of them can redeploy (' + reached.length + ')'));
    panel.appendChild(listHtml('symbol', names(reached)));
  }

  function deselect() {
    state.selected = null;
    clearHighlights();
    highlightEdges();
    clear(panel);
    panel.removeAttribute('data-selected');
    panel.appendChild(paragraph('Click a project to see what redeploys with it, or why it deploys.', 'muted'));
  }

  // ---------------------------------------------------------------- search and keys
  function runSearch() {
    var query = search.value.trim().toLowerCase();
    var matches = [];
    data.nodes.forEach(function (node, i) {
      var hit = query !== '' && node.id.toLowerCase().indexOf(query) >= 0;
      nodeEls[i].classList.toggle('match', hit);
      if (hit) matches.push(i);
    });
    viewEls.forEach(function (g, vi) {
      var vn = data.view.nodes[vi];
      g.classList.toggle('match', query !== '' && vn.label.toLowerCase().indexOf(query) >= 0);
    });
    document.getElementById('search-count').textContent = query
      ? matches.length + ' match' + (matches.length === 1 ? '' : 'es')
      : '';
    return matches;
  }
  function reveal(i) {
    var node = data.nodes[i];
    if (state.view === 'full') {
      if (!state.expanded[node.g]) toggleGroup(node.g);
      focusOn(node.b);
      nodeEls[i].focus();
    } else {
      data.view.nodes.forEach(function (vn, vi) {
        if (vn.n === i) {
          focusOn(vn.b);
          viewEls[vi].focus();
        }
      });
    }
    select(i);
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      var matches = runSearch();
      if (matches.length) reveal(matches[0]);
    }
    if (event.key === 'Escape') {
      search.value = '';
      runSearch();
      search.blur();
    }
  });

  /** Arrow keys: the nearest visible project in that direction. */
  function move(dx, dy) {
    var from = state.selected === null ? null : data.nodes[state.selected].b;
    var visible = [];
    data.nodes.forEach(function (node, i) {
      if (
        state.view === 'full'
          ? state.expanded[node.g]
          : data.view.nodes.some(function (vn) {
              return vn.n === i;
            })
      )
        visible.push(i);
    });
    if (!visible.length) return;
    var boxOf = function (i) {
      if (state.view === 'full') return data.nodes[i].b;
      for (var vi = 0; vi < data.view.nodes.length; vi++) if (data.view.nodes[vi].n === i) return data.view.nodes[vi].b;
      return data.nodes[i].b;
    };
    if (from === null) return reveal(visible[0]);
    var c = center(boxOf(state.selected));
    var best = null;
    var bestScore = Infinity;
    visible.forEach(function (i) {
      if (i === state.selected) return;
      var p = center(boxOf(i));
      var along = (p[0] - c[0]) * dx + (p[1] - c[1]) * dy;
      if (along <= 0) return;
      var across = Math.abs((p[0] - c[0]) * dy) + Math.abs((p[1] - c[1]) * dx);
      var score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best !== null) reveal(best);
  }
  document.addEventListener('keydown', function (event) {
    if (event.target === search) return;
    var key = event.key;
    if (key === '/') {
      event.preventDefault();
      search.focus();
    } else if (key === 'Escape') deselect();
    else if (key === 'ArrowLeft') move(-1, 0);
    else if (key === 'ArrowRight') move(1, 0);
    else if (key === 'ArrowUp') move(0, -1);
    else if (key === 'ArrowDown') move(0, 1);
    else if (key === '+' || key === '=') zoom(1 / 1.25);
    else if (key === '-') zoom(1.25);
    else if (key === '0') fit();
    else if (key === 'v') setView(state.view === 'full' ? 'deployables' : 'full');
    else if (key === 'Enter' && event.target.getAttribute && event.target.getAttribute('data-id')) {
      var id = event.target.getAttribute('data-id');
      data.nodes.forEach(function (node, i) {
        if (node.id === id) select(i);
      });
    } else return;
    if (key.indexOf('Arrow') === 0) event.preventDefault();
  });

  // ---------------------------------------------------------------- legend and start
  function legend() {
    var box = document.getElementById('legend');
    function row(swatch, label) {
      var div = document.createElement('div');
      div.className = 'legend-row';
      div.appendChild(swatch);
      div.appendChild(document.createTextNode(label));
      box.appendChild(div);
    }
    function swatch(fill, border, dashed) {
      var span = document.createElement('span');
      span.className = 'swatch';
      span.style.background = fill;
      span.style.borderColor = border;
      if (dashed) span.style.borderStyle = 'dashed';
      return span;
    }
    box.appendChild(heading('Projects'));
    row(swatch(data.colours.deployable, data.colours.deployableBorder), 'deployable');
    if (data.affected)
      row(swatch(data.colours.affected, data.colours.affectedBorder), 'deployable affected by the change');
    data.buckets.forEach(function (bucket) {
      row(swatch(bucket.colour, '#6b7280'), 'library: blast radius ' + bucket.label);
    });
    row(swatch('#fff', '#16a34a'), 'redeploys at symbol precision (selected library)');
    row(swatch('#fff', '#f97316', true), 'redeploys at project precision only');
    if (data.lockstep) row(swatch('#fff', '#0891b2', true), 'lock-step group (from history)');
    box.appendChild(heading('Edges'));
    data.kinds.forEach(function (kind) {
      var style = data.edgeStyle[kind];
      var line = document.createElement('span');
      line.className = 'line';
      line.style.borderTopStyle = style.dashed ? 'dashed' : 'solid';
      line.style.borderTopColor = style.colour;
      row(line, style.label);
    });
    box.appendChild(heading('Keys'));
    box.appendChild(
      paragraph(
        '/ search · arrows move · Enter select · Esc clear · + − zoom · 0 fit · v switch view · drag to pan, wheel to zoom',
        'muted',
      ),
    );
  }
  function markers() {
    var defs = el('defs', {}, svg);
    data.kinds.forEach(function (kind, k) {
      var marker = el(
        'marker',
        {
          id: 'arrow-' + k,
          viewBox: '0 0 10 10',
          refX: '10',
          refY: '5',
          markerWidth: '7',
          markerHeight: '7',
          orient: 'auto-start-reverse',
        },
        defs,
      );
      el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: data.edgeStyle[kind].colour }, marker);
    });
  }

  markers();
  drawFull();
  drawView();
  legend();
  var expandAll = data.nodes.length <= data.expandUpTo;
  data.groups.forEach(function (group, gi) {
    setGroup(gi, expandAll || group.open === 1);
  });
  drawFullEdges();
  deselect();
  document.getElementById('view-full').addEventListener('click', function () {
    setView('full');
  });
  document.getElementById('view-deployables').addEventListener('click', function () {
    setView('deployables');
  });
  document.getElementById('expand-all').addEventListener('click', function () {
    setAll(true);
  });
  document.getElementById('collapse-all').addEventListener('click', function () {
    setAll(false);
  });
  setView('full');
  document.body.setAttribute('data-ready', 'true');
})();
