// The AIM status page: polls /status/services.json every 2 s and renders every service.
// Plain DOM building with textContent only, so nothing a resource carries is ever parsed as HTML.
(function () {
  "use strict";

  const POLL_MS = 2000;
  const root = document.getElementById("services");
  const updated = document.getElementById("updated");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  function time(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return el("time", { dateTime: iso, title: iso }, d.toLocaleTimeString([], { hour12: false }));
  }

  function bytes(n) {
    if (n === null || n === undefined) return "?";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
  }

  function facts(s) {
    const wf = s.workflow;
    let workflow = wf.state === "found" ? wf.id + " (" + wf.phase + ", " + wf.passes + " passes)" : wf.state;
    if (wf.state === "unavailable" && wf.detail) workflow += ": " + wf.detail;
    const rows = [
      ["model", s.model], ["template", s.template], ["cache", s.cache],
      ["endpoint", s.endpoint], ["workflow", workflow], ["created", s.created],
    ];
    const dl = el("dl", { class: "facts" });
    for (const [k, v] of rows) {
      dl.append(el("dt", {}, k), el("dd", { class: "fact-" + k }, v || "\u2014"));
    }
    return dl;
  }

  function timeline(s) {
    if (!s.timeline.length) {
      return el("p", { class: "empty no-timeline" }, s.workflow.state === "found" ? "No steps yet" : "No workflow steps (" + s.workflow.state + ")");
    }
    const ol = el("ol", { class: "timeline" });
    for (const step of s.timeline) {
      ol.append(el("li", { class: "step " + (step.state || ""), "data-component": step.component, "data-state": step.state },
        el("span", { class: "dot" }),
        time(step.since),
        el("span", { class: "component" }, step.component),
        el("span", { class: "state" }, step.state),
        el("span", { class: "reason" }, step.reason),
        step.message ? el("span", { class: "message" }, step.message) : null));
    }
    return ol;
  }

  function downloads(s) {
    if (!s.artifacts.length) return null;
    const box = el("div", { class: "downloads" });
    for (const a of s.artifacts) {
      const pct = a.percentage === null || a.percentage === undefined ? (a.status === "Ready" ? 100 : 0) : a.percentage;
      const fill = el("div", { class: "fill" });
      fill.style.width = pct + "%";
      box.append(el("div", { class: "artifact " + a.status, "data-artifact": a.name, "data-status": a.status },
        el("span", { class: "artifact-name", title: a.model || "" }, a.name),
        el("div", { class: "bar", role: "progressbar", ariaValueNow: pct, ariaValueMin: 0, ariaValueMax: 100 }, fill),
        el("span", { class: "percent" }, a.displayPercentage || pct + "%"),
        el("span", { class: "bytes" }, bytes(a.downloadedBytes) + " / " + bytes(a.totalBytes) + " \u00b7 " + a.status)));
    }
    return box;
  }

  function conditions(s) {
    const table = el("table", {},
      el("thead", {}, el("tr", {}, ...["type", "status", "reason", "since", "message"].map((h) => el("th", {}, h)))));
    const body = el("tbody");
    for (const c of s.conditions) {
      body.append(el("tr", { "data-condition": c.type },
        el("td", {}, c.type), el("td", { class: c.status }, c.status), el("td", {}, c.reason || ""),
        el("td", {}, time(c.lastTransitionTime)), el("td", {}, c.message || "")));
    }
    table.append(body);
    return el("details", { class: "conditions" }, el("summary", {}, "Conditions (" + s.conditions.length + ")"), table);
  }

  function service(s, wasOpen) {
    const details = conditions(s);
    details.open = wasOpen;
    return el("section", { class: "service", "data-service": s.namespace + "/" + s.name, "data-status": s.status },
      el("h2", {}, el("span", { class: "name" }, s.namespace + "/" + s.name), el("span", { class: "badge " + s.status }, s.status)),
      facts(s),
      s.artifacts.length ? el("h3", {}, "Downloads") : null,
      downloads(s),
      el("h3", {}, "Lifecycle"),
      timeline(s),
      details);
  }

  function render(page) {
    // Keep open condition tables open across refreshes.
    const open = new Set([...root.querySelectorAll("section.service")]
      .filter((n) => n.querySelector("details").open).map((n) => n.dataset.service));
    const nodes = page.services.map((s) => service(s, open.has(s.namespace + "/" + s.name)));
    root.replaceChildren(...(nodes.length ? nodes : [el("p", { class: "empty" }, "No AIM services.")]));
    updated.textContent = "Last update " + new Date(page.generatedAt).toLocaleTimeString([], { hour12: false }) + ".";
  }

  async function poll() {
    try {
      const response = await fetch("status/services.json", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      render(await response.json());
    } catch (e) {
      updated.replaceChildren(el("span", { class: "error" }, "Update failed: " + e.message));
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  poll();
})();
