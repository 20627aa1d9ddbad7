// Drives nb.Slider's output in headless Chromium. The output is one
// self-contained HTML block (the precomputed views, an <input type=range>
// and a few lines of inline JavaScript), so the slider must move with no
// kernel. Started by run.sh, in one of three modes (SLIDER_MODE):
//   static: SLIDER_PAGE (file://) holds the same output twice, as written by
//     kernellib/nb/nbcheck/sliderpage; SLIDER_EXPORT (file://) is slider.ipynb
//     after jupyter nbconvert --to html. In each, every widget must be wired
//     (range enabled, note hidden), show the view of value 3 alone, and follow
//     the range when it moves (by script and by keyboard);
//   live: LIVE_URL is live.ipynb on a Jupyter Notebook server: the cells run,
//     the cell ends at once ("slider done"), and the widget moves;
//   untrusted: LIVE_URL is slider.ipynb (not signed) on the server: Jupyter
//     runs no script, so the view of value 3 shows alone, the range is
//     disabled and the note says how to make it move;
//   trusted: LIVE_URL is slider.ipynb signed (jupyter trust), as a notebook
//     executed here and opened later: the saved output's script runs when the
//     notebook opens, with no kernel started by the check, and the widget moves.
const puppeteer = require(require.resolve('puppeteer-core', {paths: [process.cwd()]}));

const FIRST = 3;

// state returns, for every slider output in the page, what a user sees.
const state = (page) => page.evaluate(() => [...document.querySelectorAll('.ceusrad-slider')].map((root) => {
  const views = [...root.querySelectorAll('p.val')].filter((p) => p.offsetParent !== null).map((p) => p.textContent);
  const range = root.querySelector('input[type=range]');
  const note = root.querySelector('.ceusrad-slider-note');
  return {views, count: root.querySelectorAll('p.val').length, disabled: range.disabled, note: note.offsetParent !== null ? note.textContent : ''};
}));

const expect = (cond, what, got) => { if (!cond) throw new Error(`${what}: ${JSON.stringify(got)}`); };

// wired checks every widget of the page: wired, value=FIRST shown alone; then
// moves each (the k-th by script to 7 + k, and by the keyboard one step on).
async function checkWired(page, want) {
  await page.waitForFunction((n) => [...document.querySelectorAll('input.ceusrad-slider-range')].filter((r) => !r.disabled).length >= n,
    {timeout: 60000}, want).catch(async () => { throw new Error('widgets not wired: ' + JSON.stringify(await state(page))); });
  const s = await state(page);
  expect(s.length === want, `${want} widgets expected`, s);
  for (const w of s) {
    expect(w.count === 11 && w.views.length === 1 && w.views[0] === `value=${FIRST}` && !w.disabled && w.note === '', 'first state', w);
  }
  for (let k = 0; k < want; k++) {
    await page.evaluate((k, v) => {
      const r = document.querySelectorAll('input.ceusrad-slider-range')[k];
      r.value = v;
      r.dispatchEvent(new Event('input', {bubbles: true}));
    }, k, 7 + k);
    let w = (await state(page))[k];
    expect(w.views.length === 1 && w.views[0] === `value=${7 + k}`, `widget ${k} moved to ${7 + k}`, w);
    await page.evaluate((k) => document.querySelectorAll('input.ceusrad-slider-range')[k].focus(), k);
    await page.keyboard.press('ArrowRight');
    w = (await state(page))[k];
    expect(w.views.length === 1 && w.views[0] === `value=${8 + k}`, `widget ${k} one key step on`, w);
    const v = await page.evaluate((k) => document.querySelectorAll('.ceusrad-slider-value')[k].textContent, k);
    expect(v === String(8 + k), `widget ${k}: the position shown`, v);
  }
  // The other widgets did not move with the last one.
  const last = await state(page);
  for (let k = 0; k < want; k++) expect(last[k].views[0] === `value=${8 + k}`, `widget ${k} kept its view`, last[k]);
}

(async () => {
  const browser = await puppeteer.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: 'new',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--allow-file-access-from-files']});
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const mode = process.env.SLIDER_MODE || 'static';
  if (mode === 'static') {
    // No network: the output must need nothing from outside.
    await page.setRequestInterception(true);
    page.on('request', (r) => (r.url().startsWith('file:') || r.url().startsWith('data:') ? r.continue() : (errors.push('request ' + r.url()), r.abort())));
    await page.goto(process.env.SLIDER_PAGE, {waitUntil: 'load'});
    await checkWired(page, 2);
    console.log('static page: both copies wired, the view of 3 first, moved by script and keyboard');
    page.removeAllListeners('request');
    await page.setRequestInterception(false);
    await page.goto(process.env.SLIDER_EXPORT, {waitUntil: 'load'});
    await checkWired(page, 1);
    console.log('nbconvert --to html export: wired, moved');
  } else if (mode === 'live') {
    await page.goto(process.env.LIVE_URL, {waitUntil: 'networkidle2'});
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), {timeout: 60000});
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
    const t0 = Date.now();
    await page.waitForFunction(() => [...document.querySelectorAll('.output_stdout')].some((e) => e.innerText.includes('slider done')), {timeout: 240000});
    console.log('cell ended after', (Date.now() - t0) / 1000, 's');
    await checkWired(page, 1);
    const busy = await page.evaluate(() => Jupyter.notebook.kernel_busy || document.querySelector('#kernel_indicator_icon').classList.contains('kernel_busy_icon'));
    expect(!busy, 'the kernel is idle', busy);
    console.log('live notebook: the cell ended, the kernel idle, the slider moves');
  } else if (mode === 'trusted') {
    await page.goto(process.env.LIVE_URL, {waitUntil: 'networkidle2'});
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && document.querySelector('.ceusrad-slider'), {timeout: 60000});
    const trusted = await page.evaluate(() => Jupyter.notebook.trusted);
    expect(trusted === true, 'the notebook is trusted', trusted);
    await checkWired(page, 1);
    console.log('trusted notebook opened: wired, moved');
  } else if (mode === 'untrusted') {
    await page.goto(process.env.LIVE_URL, {waitUntil: 'networkidle2'});
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && document.querySelector('.ceusrad-slider'), {timeout: 60000});
    await new Promise((r) => setTimeout(r, 1000));
    const trusted = await page.evaluate(() => Jupyter.notebook.trusted);
    expect(trusted === false, 'the notebook is untrusted', trusted);
    const [w, ...rest] = await state(page);
    expect(rest.length === 0 && w.count === 11 && w.views.length === 1 && w.views[0] === `value=${FIRST}` && w.disabled && w.note.includes('Trust Notebook'),
      'untrusted: the view of 3 alone, the range disabled, the note shown', w);
    console.log('untrusted notebook: the view of 3 alone, range disabled, note:', w.note);
  } else {
    throw new Error('SLIDER_MODE ' + mode);
  }
  expect(errors.length === 0, 'page errors', errors);
  console.log('PASS');
  await browser.close();
})().catch((e) => { console.error('FAIL', e); process.exit(1); });
