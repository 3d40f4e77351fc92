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
        const h = document.createElement("h3");
        h.textContent = body.name + " (" + body.code + "): " + body.score.toFixed(1);
        target.appendChild(h);
        const list = document.createElement("ul");
        list.className = "drivers";
        (body.drivers || []).slice(0, 8).forEach((d) => {
          const li = document.createElement("li");
          li.textContent = T(d.name, d.name_en) + " — +" + Number(d.points).toFixed(1) +
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
          p.textContent = T("Turun ke kelas ", "Drops to class ") + body.to_lower_class.class_after +
            T(" bila diselesaikan: ", " if resolved: ") + body.to_lower_class.resolve.join(", ");
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

// The public report form: JSON to the public API, then the receipt code to keep.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("report-form");
  if (!form) return;
  const english = document.documentElement.lang === "en";
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const out = document.getElementById("report-result");
    const anonymous = form.anonymous.checked;
    const body = { text: form.text.value, region: form.region.value, anonymous: anonymous,
                   reporter_name: anonymous ? null : (form.reporter_name.value || null) };
    fetch("/api/v1/reports", { method: "POST", headers: { "Content-Type": "application/json" },
                               body: JSON.stringify(body) })
      .then((r) => r.json().then((b) => ({ ok: r.ok, b })))
      .then(({ ok, b }) => {
        if (!ok) { out.className = "error"; out.textContent = b.detail || "error"; return; }
        out.className = "";
        out.innerHTML = "";
        out.append(english ? "Received. Keep your receipt code: " : "Diterima. Simpan kode tanda terima Anda: ");
        const code = document.createElement("strong");
        code.id = "receipt-code";
        code.textContent = b.receipt;
        out.append(code);
        form.reset();
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
  const feed = document.getElementById("alerts-feed");
  if (!feed) return;
  const body = feed.querySelector("tbody");
  const stamp = document.getElementById("feed-updated");
  const refresh = () => siagaFetch(feed.dataset.feed).then((r) => r.ok ? r.json() : [])
    .then((alerts) => {
      alerts.slice().reverse().forEach((a) => {
        if (body.querySelector('tr[data-alert="' + a.id + '"]')) return;
        const empty = body.querySelector("tr.empty");
        if (empty) empty.remove();
        const row = document.createElement("tr");
        row.dataset.alert = a.id;
        row.className = "fresh";
        const cells = [null, a.region, a.category, a.window_start,
                       a.observed + " / " + a.expected.toFixed(1), a.p_value.toExponential(1)];
        cells.forEach((text, i) => {
          const cell = document.createElement("td");
          if (i === 0) {
            const link = document.createElement("a");
            link.href = "/peringatan/" + a.id;
            link.textContent = "#" + a.id;
            cell.appendChild(link);
          } else { cell.textContent = text; }
          row.appendChild(cell);
        });
        body.insertBefore(row, body.firstChild);
      });
      if (stamp) stamp.textContent = new Date().toLocaleTimeString();
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
