// Drives a GoNB notebook with an nb.Slider in headless Chromium: runs all
// cells, moves the slider, waits for the view to follow, then for the cell
// to end (idle) with the widget removed. Started by run.sh.
const puppeteer = require(require.resolve('puppeteer-core', {paths: [process.cwd()]}));
(async () => {
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: 'new',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']});
  const page = await browser.newPage();
  await page.goto(process.env.LIVE_URL, {waitUntil: 'networkidle2'});
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), {timeout: 60000});
  console.log('sliders before running:', await page.evaluate(() => document.querySelectorAll('input[type=range]').length));
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  const t0 = Date.now();
  await page.waitForSelector('input[type=range]', {timeout: 240000});
  console.log('slider shown after', (Date.now() - t0) / 1000, 's');
  await page.waitForFunction(() => [...document.querySelectorAll('p.val')].some(p => p.textContent === 'value=3'), {timeout: 60000});
  console.log('first view: value=3');
  await page.evaluate(() => {
    const s = document.querySelector('input[type=range]');
    s.value = 7;
    s.dispatchEvent(new Event('input'));
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => [...document.querySelectorAll('p.val')].some(p => p.textContent === 'value=7'), {timeout: 30000});
  console.log('moved: the view shows value=7');
  await page.waitForFunction(() => [...document.querySelectorAll('.output_stdout')].some(e => e.innerText.includes('slider done')), {timeout: 60000});
  await new Promise(r => setTimeout(r, 2000));
  const n = await page.evaluate(() => document.querySelectorAll('input[type=range]').length);
  console.log('cell ended; sliders left in the page:', n);
  if (n !== 0) throw new Error('the slider widget was not removed');
  console.log('PASS');
  await browser.close();
})().catch(e => { console.error('FAIL', e); process.exit(1); });
