// The public report form, offline first: every report is first saved in the browser (IndexedDB)
// under an id made here, then sent; without a network it waits and is sent when the network
// comes back. The server answers a resend of the same id with the first receipt, so a report
// that got through but whose answer was lost is never stored twice.
"use strict";
(function () {
  const english = document.documentElement.lang === "en";
  const T = (id, en) => (english ? en : id);
  const DB = "siaga-lapor", STORE = "outbox";

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "client_id" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function tx(mode, work) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const result = work(t.objectStore(STORE));
      t.oncomplete = () => { db.close(); resolve(result && result.result); };
      t.onerror = () => { db.close(); reject(t.error); };
    }));
  }
  const save = (record) => tx("readwrite", (s) => s.put(record));
  const drop = (id) => tx("readwrite", (s) => s.delete(id));
  const pending = () => tx("readonly", (s) => s.getAll());

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  let flushing = null;
  function flush() {
    if (flushing) return flushing;  // one sender at a time: no double send from this page
    flushing = pending().then((records) => records.reduce((chain, record) => chain.then(() => send(record)),
                                                          Promise.resolve()))
      .catch(() => null)
      .then(() => showWaiting())
      .finally(() => { flushing = null; });
    return flushing;
  }

  function send(record) {
    const body = Object.assign({}, record);
    delete body.saved_at;
    return fetch("/api/v1/reports", { method: "POST", headers: { "Content-Type": "application/json" },
                                      body: JSON.stringify(body) })
      .then((r) => r.json().then((b) => ({ status: r.status, ok: r.ok, b })))
      .then(({ status, ok, b }) => {
        if (ok) return drop(record.client_id).then(() => showReceipt(b.receipt));
        if (status === 429 || status >= 500) return null;  // try again later, keep it
        return drop(record.client_id).then(() => showError(b.detail || String(status)));
      }, () => null);  // no network: it stays in the outbox
  }

  function out() { return document.getElementById("report-result"); }
  function showReceipt(code) {
    const box = out();
    box.className = "";
    box.textContent = T("Diterima. Simpan kode tanda terima Anda: ", "Received. Keep your receipt code: ");
    const strong = document.createElement("strong");
    strong.id = "receipt-code";
    strong.textContent = code;
    box.appendChild(strong);
  }
  function showError(text) {
    const box = out();
    box.className = "error";
    box.textContent = text;
  }
  function showWaiting() {
    return pending().then((records) => {
      const note = document.getElementById("report-outbox");
      if (!note) return;
      note.hidden = records.length === 0;
      note.textContent = records.length
        ? T(records.length + " laporan tersimpan di perangkat ini dan akan dikirim otomatis saat sinyal kembali.",
            records.length + " report(s) saved on this device; they are sent by themselves when the network is back.")
        : "";
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("report-form");
    if (!form) return;
    if (!window.indexedDB) { form.dataset.offline = "unsupported"; }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const anonymous = form.anonymous.checked;
      const record = { client_id: newId(), text: form.text.value, region: form.region.value,
                       anonymous: anonymous, reporter_name: anonymous ? null : (form.reporter_name.value || null),
                       saved_at: new Date().toISOString() };
      save(record).then(() => {
        form.reset();
        out().className = "muted";
        out().textContent = T("Tersimpan di perangkat. Mengirim…", "Saved on this device. Sending…");
        return flush();
      });
    });
    window.addEventListener("online", () => flush());
    setInterval(() => { if (navigator.onLine) flush(); }, 20000);
    flush();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/lapor-sw.js", { scope: "/lapor" }).catch(() => null);
    }
  });
})();
