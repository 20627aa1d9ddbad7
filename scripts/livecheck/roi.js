// Drives nb.DrawROIs in a live GoNB notebook in headless Chromium: runs the cells,
// clicks a lesion and a liver polygon on the tissue half of the dual-display fixture
// (with an undo), moves the frame slider, saves, and checks that each mask written
// is byte for byte the one `ceusrad roi -region left` writes from the vertices the
// widget lists, that those are where the mouse clicked, and that the manifest
// changed in its two mask cells only. Started by run.sh (ROI_DIR: the cohort folder,
// ROI_CINE: the fixture, CEUSRAD_BIN: a built ceusrad; ROI_SCREENSHOT: a PNG of the
// widget to write, optional).
const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');
const puppeteer = require(require.resolve('puppeteer-core', {paths: [process.cwd()]}));

const ZOOM = 8;
const LESION = [[10, 12], [22, 10], [24, 24], [9, 21]];
const LIVER = [[3, 3], [12, 3], [12, 8], [3, 8]];
const FRAME = 4;

(async () => {
  const manifest = path.join(process.env.ROI_DIR, 'cohort.csv');
  const before = fs.readFileSync(manifest, 'utf8');
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: 'new',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']});
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 1000});
  await page.goto(process.env.LIVE_URL, {waitUntil: 'networkidle2'});
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), {timeout: 60000});
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  const t0 = Date.now();
  await page.waitForSelector('img.ceusrad-roi-img', {timeout: 240000});
  console.log('widget shown after', (Date.now() - t0) / 1000, 's');
  const text = () => page.evaluate(() => document.querySelector('.ceusrad-roi').innerText);
  if (!(await text()).includes('frame 11 of 12 (peak enhancement: frame 11)')) throw new Error('the first frame is not the peak-enhancement frame: ' + await text());
  const status = () => page.evaluate(() => (document.querySelector('.ceusrad-roi-status') || {}).textContent);
  const waitStatus = async (s) => {
    await page.waitForFunction((s) => { const e = document.querySelector('.ceusrad-roi-status'); return e && e.textContent.includes(s); }, {timeout: 20000}, s)
      .catch(async () => { throw new Error(`status ${JSON.stringify(await status())}, want ${JSON.stringify(s)}`); });
  };
  // A real mouse click at the centre of image pixel (i, j).
  const clickPixel = async (roi, [i, j], n) => {
    const r = await page.evaluate(() => { const b = document.querySelector('img.ceusrad-roi-img').getBoundingClientRect(); return {x: b.left, y: b.top}; });
    await page.mouse.click(r.x + ZOOM * i + ZOOM / 2, r.y + ZOOM * j + ZOOM / 2);
    await waitStatus(`${roi}: vertex ${n} at`);
  };
  const button = async (cmd, want) => {
    await page.click(`button[data-ceusrad-roi-cmd="${cmd}"]`);
    await waitStatus(want);
  };
  const polygon = (roi) => page.evaluate((roi) => document.querySelector(`code[data-roi="${roi}"]`).textContent, roi);
  // The vertices the widget lists must be the pixels clicked (their centres, at
  // integers in roi's convention).
  const checkClicked = (got, want) => {
    const w = want.map(([x, y]) => `${x},${y}`).join(' ');
    if (got !== w) throw new Error(`the widget's vertices ${got} are not the clicked ${w}`);
  };

  for (const [k, p] of LESION.slice(0, 2).entries()) await clickPixel('lesion', p, k + 1);
  await clickPixel('lesion', [30, 30], 3);
  await button('undo', 'lesion: undone');
  for (const [k, p] of LESION.slice(2).entries()) await clickPixel('lesion', p, k + 3);
  await button('close', 'lesion: outline closed');
  await button('roi liver', 'drawing the liver');
  for (const [k, p] of LIVER.entries()) await clickPixel('liver', p, k + 1);
  await button('close', 'liver: outline closed');
  await page.evaluate((f) => {
    const s = document.querySelector('input.ceusrad-roi-frame');
    s.value = f;
    s.dispatchEvent(new Event('change', {bubbles: true}));
  }, FRAME);
  await waitStatus(`frame ${FRAME}`);
  if (!(await text()).includes(`frame ${FRAME} of 12`)) throw new Error('the slider did not move the frame');
  const lesion = await polygon('lesion');
  const liver = await polygon('liver');
  checkClicked(lesion, LESION);
  checkClicked(liver, LIVER);
  console.log('clicked: lesion', lesion, '· liver', liver);
  if (process.env.ROI_SCREENSHOT) { // a picture of the widget, to look at
    await (await page.$('.ceusrad-roi')).screenshot({path: process.env.ROI_SCREENSHOT});
  }
  await button('save', 'saved masks/D1_lesion.png and masks/D1_liver.png; manifest updated');
  await page.click('button[data-ceusrad-roi-cmd="finish"]');
  await page.waitForFunction(() => [...document.querySelectorAll('.output_stdout')].some((e) => e.innerText.includes('roi done')), {timeout: 60000});
  const buttons = await page.evaluate(() => document.querySelectorAll('button[data-ceusrad-roi-cmd]').length);
  if (buttons !== 0) throw new Error('the controls stayed after Finish');
  await browser.close();

  // The masks against ceusrad roi's, from the same vertices.
  for (const [roi, poly] of [['lesion', lesion], ['liver', liver]]) {
    const ref = path.join(process.env.ROI_DIR, `ref_${roi}.png`);
    execFileSync(process.env.CEUSRAD_BIN, ['roi', '-cine', process.env.ROI_CINE, '-region', 'left', '-frame', String(FRAME), '-polygon', poly, '-out', ref], {stdio: 'inherit'});
    const got = fs.readFileSync(path.join(process.env.ROI_DIR, 'masks', `D1_${roi}.png`));
    if (!got.equals(fs.readFileSync(ref))) throw new Error(`masks/D1_${roi}.png differs from ceusrad roi's mask for ${poly}`);
    console.log(`masks/D1_${roi}.png is byte for byte ceusrad roi's (${got.length} bytes)`);
  }
  const after = fs.readFileSync(manifest, 'utf8');
  const want = before.replace('b.png,,,right', 'b.png,masks/D1_lesion.png,masks/D1_liver.png,right');
  if (want === before || after !== want) throw new Error(`the manifest is\n${after}\nwant\n${want}`);
  console.log('manifest: the two mask cells filled, every other byte kept');
  console.log('PASS');
})().catch((e) => { console.error('FAIL', e); process.exit(1); });
