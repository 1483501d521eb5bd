// Uploads straight to S3 through the API's pre-signed URLs, by file picker or drag and drop, with a
// progress bar per file. Big files come back as multipart uploads: parts go one by one, parts S3
// already has are skipped (a resumed upload), then the API completes it with every part's ETag.
import * as api from "../api.js";
import { bytes, h, problemBox } from "../dom.js";

/** One PUT with progress (fetch reports no upload progress; XMLHttpRequest does). Resolves to the ETag. */
function put(url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    Object.entries(headers || {}).forEach(([name, value]) => {
      if (name.toLowerCase() !== "host" && name.toLowerCase() !== "content-length") request.setRequestHeader(name, value);
    });
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => (request.status < 300 ? resolve(request.getResponseHeader("ETag"))
      : reject(Object.assign(new Error("upload failed"), { title: "The storage refused the upload",
        status: request.status, detail: request.responseText.slice(0, 300), hint: "Ask for a new upload and try again." })));
    request.onerror = () => reject(Object.assign(new Error("upload failed"), { title: "The upload was interrupted",
      detail: "The connection to the storage failed.", hint: "Try again: a big file resumes from the parts already uploaded." }));
    request.send(body);
  });
}

async function multipart(base, file, upload, progress) {
  const done = new Set(upload.uploadedParts || []);
  const parts = [];
  let sent = 0;
  for (const part of upload.parts) {
    const start = (part.partNumber - 1) * upload.partSize;
    const blob = file.slice(start, Math.min(start + upload.partSize, file.size));
    if (!done.has(part.partNumber)) {
      const etag = await put(part.url, blob, {}, (loaded) => progress(sent + loaded));
      parts.push({ partNumber: part.partNumber, etag });
    }
    sent += blob.size;
    progress(sent);
  }
  await api.post(`${base}/multipart-uploads/${encodeURIComponent(upload.uploadId)}/complete`, { path: upload.path, parts });
}

function row(file) {
  const bar = h("progress", { max: file.size || 1, value: 0, "aria-label": `Upload of ${file.name}` });
  const state = h("span", { class: "help" }, "waiting");
  const item = h("li", {}, h("span", {}, `${file.name} (${bytes(file.size)}) `, state), bar);
  return { item, progress: (n) => { bar.value = n; state.textContent = `${Math.round((100 * n) / (file.size || 1))}%`; },
    finish: (text) => { bar.value = bar.max; state.textContent = text; } };
}

export function uploader(projectId, datasetId, reload) {
  const base = `/projects/${projectId}/datasets/${datasetId}`;
  const list = h("ul", { class: "uploads", "aria-live": "polite" });
  const slot = h("div", {});
  async function send(files) {
    slot.replaceChildren();
    const rows = files.map(row);
    list.replaceChildren(...rows.map((r) => r.item));
    try {
      const { uploads } = await api.post(`${base}/upload-requests`, {
        files: files.map((f) => ({ path: f.name, size: f.size, ...(f.type ? { contentType: f.type } : {}) })) });
      await Promise.all(uploads.map(async (upload, i) => {
        if (upload.uploadId) await multipart(base, files[i], upload, rows[i].progress);
        else await put(upload.url, files[i], upload.headers, rows[i].progress);
        rows[i].finish("uploaded");
      }));
    } catch (error) {
      slot.replaceChildren(problemBox(error));
      return;
    }
    // The file index follows S3's events, a moment after the upload: look a few times.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const listed = await reload();
      if (files.every((f) => listed.some((l) => l.path === f.name || l.path.endsWith(`/${f.name}`)))) return;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }
  const picker = h("input", { type: "file", multiple: true, id: "upload-picker",
    onchange: () => { if (picker.files.length) send([...picker.files]); } });
  const zone = h("div", { class: "dropzone", tabindex: "-1",
    ondragover: (e) => { e.preventDefault(); zone.classList.add("over"); },
    ondragleave: () => zone.classList.remove("over"),
    ondrop: (e) => { e.preventDefault(); zone.classList.remove("over"); if (e.dataTransfer.files.length) send([...e.dataTransfer.files]); } },
  h("p", {}, "Drop files here, or "), h("label", { for: "upload-picker" }, "choose files to upload"), picker);
  return h("div", { class: "card" }, h("h2", {}, "Upload"), zone, slot, list);
}
