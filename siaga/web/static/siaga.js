// Siaga dashboard behaviour: map drill-down and explanations. No library, works without a build.
"use strict";
(function () {
  const lang = document.documentElement.lang === "en" ? "en" : "id";
  const T = (id, en) => (lang === "en" ? en : id);

  function csrf() {
    const m = document.cookie.match(/(?:^|; )siaga_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  window.siagaFetch = function (url, options) {
    const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    opts.headers = Object.assign({ "X-Siaga-CSRF": csrf() }, opts.headers);
    return fetch(url, opts);
  };

  function explain(code, framework, target) {
    target.textContent = T("Memuat…", "Loading…");
    siagaFetch("/api/v1/risk/explain/" + encodeURIComponent(code) + "?framework=" + encodeURIComponent(framework))
      .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        target.textContent = "";
        if (!ok) { target.textContent = body.detail || T("Gagal memuat", "Could not load"); return; }
        const fmt = (n) => Number(n).toLocaleString(lang === "en" ? "en-GB" : "id-ID",
          { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        const classes = JSON.parse(target.dataset.classes || "{}");
        const h = document.createElement("h3");
        h.dataset.code = body.code;
        h.textContent = body.name + ": " + fmt(body.score) + " · " + (classes[body.class] || "");
        target.appendChild(h);
        const list = document.createElement("ul");
        list.className = "drivers";
        const names = {};
        (body.drivers || []).forEach((d) => { names[d.indicator] = T(d.name, d.name_en); });
        (body.drivers || []).slice(0, 8).forEach((d) => {
          const li = document.createElement("li");
          li.textContent = T(d.name, d.name_en) + " — +" + fmt(d.points) +
            T(" poin; ", " points; ") + T(d.mitigation, d.mitigation_en);
          list.appendChild(li);
        });
        if (!list.children.length) {
          const li = document.createElement("li");
          li.textContent = T("Tidak ada indikator yang terjadi.", "No indicator occurred.");
          list.appendChild(li);
        }
        target.appendChild(list);
        if (body.to_lower_class) {
          const p = document.createElement("p");
          p.className = "muted";
          const after = (classes[body.to_lower_class.class_after] || "").toLowerCase();
          p.textContent = T("Turun menjadi " + after + " bila ini diselesaikan: ",
                            "Drops to " + after + " once these are resolved: ") +
            body.to_lower_class.resolve.map((id) => names[id] || id).join("; ") + ".";
          target.appendChild(p);
        }
      })
      .catch(() => { target.textContent = T("Gagal memuat", "Could not load"); });
  }

  function wireMap(box) {
    const framework = box.dataset.framework;
    const drill = box.dataset.drill === "1";
    const panel = document.getElementById("explain");
    box.querySelectorAll("svg > .unit").forEach((unit) => {
      unit.setAttribute("role", "link");
      const go = () => {
        const code = unit.dataset.code;
        if (drill) { window.location.href = "/peta/" + code + "?framework=" + framework; return; }
        box.querySelectorAll(".unit.selected").forEach((u) => u.classList.remove("selected"));
        unit.classList.add("selected");
        if (panel) explain(code, framework, panel);
      };
      unit.addEventListener("click", go);
      unit.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
      unit.addEventListener("focus", () => { if (panel && drill) explain(unit.dataset.code, framework, panel); });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-map]").forEach(wireMap);
    document.querySelectorAll("form[data-logout]").forEach((form) => {
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        siagaFetch("/api/v1/auth/logout", { method: "POST" }).then(() => { window.location.href = "/masuk"; });
      });
    });
  });
})();

// The briefing takes a few seconds to write: download it in the background and say so.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("briefing-form");
  if (!form) return;
  const status = document.getElementById("briefing-progress");
  const english = document.documentElement.lang === "en";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const query = new URLSearchParams(new FormData(form)).toString();
    status.textContent = english ? "Writing the briefing…" : "Menyusun bahan rakor…";
    form.querySelector("button").disabled = true;
    siagaFetch("/api/v1/briefings?" + query)
      .then((r) => {
        if (!r.ok) return r.json().then((b) => { throw new Error(b.detail || r.status); });
        const name = (r.headers.get("content-disposition") || "").split('filename="')[1] || "bahan-rakor.pdf";
        return r.blob().then((blob) => ({ blob, name: name.replace(/"$/, "") }));
      })
      .then(({ blob, name }) => {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        status.textContent = (english ? "Downloaded: " : "Terunduh: ") + name;
      })
      .catch((err) => { status.textContent = (english ? "Failed: " : "Gagal: ") + err.message; })
      .finally(() => { form.querySelector("button").disabled = false; });
  });
});

// Moving a case along: one POST with the CSRF header, then the page shows the new state.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("move-form");
  if (!form) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const result = document.getElementById("move-result");
    const body = { status: form.status.value, note: form.note.value || null };
    siagaFetch("/api/v1/cases/" + form.dataset.case + "/move", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.json().then((b) => ({ ok: r.ok, b })))
      .then(({ ok, b }) => {
        if (!ok) { result.textContent = b.detail || "error"; return; }
        window.location.reload();
      });
  });
});

// A field form for the index: one observation, then the map is redrawn with it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("observe-form");
  if (!form) return;
  document.querySelectorAll("svg.siaga-map > .unit").forEach((unit) => {
    unit.addEventListener("focus", () => { form.unit.value = unit.dataset.code; });
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const out = document.getElementById("observe-result");
    const body = { unit: form.unit.value, indicator: form.indicator.value,
                   value: form.value.value, evidence: form.evidence.value };
    siagaFetch("/api/v1/risk/observations?framework=" + encodeURIComponent(form.dataset.framework), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.json().then((b) => ({ ok: r.ok, b })))
      .then(({ ok, b }) => {
        if (!ok) { out.className = "error"; out.textContent = b.detail || "error"; return; }
        window.location.reload();
      });
  });
});

// Map layers (events, alerts) can be shown or hidden from the legend.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-layer-toggle]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll('svg.siaga-map g[data-layer="' + box.dataset.layerToggle + '"]')
        .forEach((g) => g.classList.toggle("hidden", !box.checked));
    });
  });
});

// The alerts feed: polls the API and adds new alerts at the top, without reloading the page.
document.addEventListener("DOMContentLoaded", () => {
  const lang = document.documentElement.lang;
  const feed = document.getElementById("alerts-feed");
  if (!feed) return;
  const body = feed.querySelector("tbody");
  const stamp = document.getElementById("feed-updated");
  // The server writes the rows (plain words, names, local dates); new ones go on top.
  const refresh = () => siagaFetch(feed.dataset.feed).then((r) => r.ok ? r.text() : "")
    .then((html) => {
      const holder = document.createElement("tbody");
      holder.innerHTML = html;
      Array.from(holder.querySelectorAll("tr[data-alert]")).reverse().forEach((row) => {
        if (body.querySelector('tr[data-alert="' + row.dataset.alert + '"]')) return;
        const empty = body.querySelector("tr.empty");
        if (empty) empty.remove();
        row.className = "fresh";
        body.insertBefore(row, body.firstChild);
      });
      if (stamp) stamp.textContent = new Date().toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID",
        { hour: "2-digit", minute: "2-digit", timeZone: feed.dataset.tz }) + " " + feed.dataset.zone;
    });
  setInterval(refresh, 30000);
  window.siagaRefreshAlerts = refresh;  // tests and the keyboard can refresh at once
});

// Open a case from an alert, then go to it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("alert-case");
  if (!form) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const out = document.getElementById("alert-case-result");
    siagaFetch("/api/v1/alerts/" + form.dataset.alert + "/case", { method: "POST" })
      .then((r) => r.json().then((b) => ({ ok: r.ok, b })))
      .then(({ ok, b }) => {
        if (!ok) { out.textContent = b.detail || "error"; return; }
        window.location.href = "/kasus/" + b.id;
      });
  });
});

// A filter whose choice applies at once (no inline handlers: the pages' CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
// Filter forms submit themselves when a choice changes (no inline handlers: the CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});

// The analyst's bulk actions on the case board: move the picked cases and/or add a note to each.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const english = document.documentElement.lang === "en";
  const picks = () => Array.from(document.querySelectorAll("input.bulk-pick:checked")).map((b) => b.value);
  const count = document.getElementById("bulk-count");
  document.querySelectorAll("input.bulk-pick").forEach((box) => {
    box.addEventListener("change", () => { count.textContent = String(picks().length); });
  });
  const post = (url, body) => siagaFetch(url, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  }).then((r) => r.json().then((b) => ({ ok: r.ok, b })));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const out = document.getElementById("bulk-result");
    const ids = picks();
    const status = form.status.value;
    const note = form.note.value.trim();
    if (!ids.length || (!status && !note)) {
      out.textContent = english ? "Pick cases and a status or a note." : "Pilih kasus dan status atau catatan.";
      return;
    }
    const one = (id) => (status
      ? post("/api/v1/cases/" + id + "/move", { status: status, note: note || null })
      : post("/api/v1/cases/" + id + "/comments", { body: note }))
      .then(({ ok, b }) => (ok ? null : "#" + id + ": " + (b.detail || "?")));
    Promise.all(ids.map(one)).then((errors) => {
      const failed = errors.filter((x) => x);
      if (!failed.length) { window.location.reload(); return; }
      out.className = "error";
      out.textContent = (english ? "Not applied to " : "Tidak diterapkan pada ") + failed.join("; ");
    });
  });
});
