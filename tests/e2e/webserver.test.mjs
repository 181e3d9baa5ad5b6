// The LED web server's page in headless Chromium, end to end: the page shows
// both LEDs blinking live, and its buttons switch a LED's blinking off and on;
// served by the host's sensor-display program, it shows the sensor's readings.
//
//   node --test tests/e2e/webserver.test.mjs   (make test-e2e sets it all up)
//
// WEBSERVER_BIN overrides the server binary, E2E_OUT the folder the screenshot
// goes to (both default to places under build/), WEBSERVER_HOST the address
// it serves on (default 127.0.0.1; tests/lwip/e2e_tap.sh serves over lwIP).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = process.env.WEBSERVER_BIN || join(ROOT, 'build/examples/webserver/webserver');
const SENSOR_DISPLAY = join(ROOT, 'build/examples/sensor-display/sensor-display');
const OUT = process.env.E2E_OUT || join(ROOT, 'build/e2e');
const HOST = process.env.WEBSERVER_HOST || '127.0.0.1';

// The flags the issue asks for: nothing talks to the network but the page.
const CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic',
];

let server, sensorServer, context, page, profile;

// Kills the servers even when node exits without running the after() hook.
process.on('exit', () => {
    server?.kill('SIGKILL');
    sensorServer?.kill('SIGKILL');
});

// Starts the server on a port the kernel picks and resolves with its URL, read
// from the "serving on http://..." line it prints. --seconds is a backstop:
// the server ends by itself should this process die without cleaning up.
function startServer(bin = SERVER, args = ['--host', HOST, '--port', '0', '--seconds', '90']) {
    return new Promise((ok, fail) => {
        const out = bin === SERVER ? 'inherit' : 'ignore'; // sensor-display prints each reading
        const child = spawn(bin, args, { stdio: ['ignore', out, 'pipe'] });
        if (bin === SERVER) server = child; else sensorServer = child;
        let log = '';
        const timer = setTimeout(() => fail(new Error(`server did not start: ${log}`)), 5000);
        child.on('error', fail);
        child.on('exit', (code) => fail(new Error(`server exited (${code}): ${log}`)));
        child.stderr.on('data', (chunk) => {
            log += chunk;
            const m = new RegExp(`serving on (http://${HOST.replaceAll('.', '\\.')}:\\d+/)`).exec(log);
            if (m) {
                clearTimeout(timer);
                ok(m[1]);
            }
        });
    });
}

// Counts, in the page, each real change of an LED's data-state (show() rewrites
// it on every event, changed or not, so only a different value counts).
function recordFlips() {
    window.flips = { 19: 0, 20: 0 };
    for (const g of [19, 20]) {
        const led = document.getElementById('led' + g);
        let last = led.dataset.state;
        new MutationObserver(() => {
            if (led.dataset.state !== last) {
                last = led.dataset.state;
                window.flips[g]++;
            }
        }).observe(led, { attributes: true, attributeFilter: ['data-state'] });
    }
}

const flips = () => page.evaluate(() => ({ ...window.flips }));

// Waits until LED `gpio` has changed `n` more times than in `since`.
function waitForFlips(gpio, since, n, timeout) {
    return page.waitForFunction(([g, want]) => window.flips[g] >= want,
                                [gpio, since[gpio] + n], { timeout, polling: 50 });
}

// Waits until the page shows LED `gpio`'s blinking as on or off.
function waitForBlinking(gpio, on, timeout = 3000) {
    return page.waitForFunction(([g, want]) => {
        const b = document.getElementById('btn' + g);
        return b.dataset.blinking === want && b.textContent === (want === 'true' ? 'Stop' : 'Start') + ' blinking';
    }, [gpio, String(on)], { timeout, polling: 50 });
}

before(async () => {
    const url = await startServer();
    profile = mkdtempSync(join(tmpdir(), 'casyncio-e2e-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 20000,
        viewport: { width: 800, height: 450 },
    });
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(url, { timeout: 5000 });
    await page.evaluate(recordFlips);
}, { timeout: 30000 });

after(async () => {
    await context?.close().catch(() => {});
    server?.kill('SIGTERM');
    sensorServer?.kill('SIGTERM');
    if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the page goes live', { timeout: 6000 }, async () => {
    assert.equal(await page.title(), 'casyncio LEDs');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('live'),
                               null, { timeout: 5000, polling: 50 });
    await waitForBlinking(19, true);
    await waitForBlinking(20, true);
});

test('the page has no sensor line without a sensor', async () => {
    assert.equal(await page.locator('#sensor').count(), 0);
});

test('served by sensor-display, the page shows the readings as they come',
     { timeout: 15000, skip: process.env.WEBSERVER_BIN ? 'another server binary' : false }, async () => {
    const url = await startServer(SENSOR_DISPLAY, ['--port', '0', '--seconds', '60']);
    const sensorPage = await context.newPage();
    try {
        await sensorPage.goto(url, { timeout: 5000 });
        const reading = /^\d+\.\d\d C, \d+\.\d\d hPa$/;
        // "waiting..." until the first reading (taken as the program starts)
        await sensorPage.waitForFunction((re) => new RegExp(re).test(document.getElementById('sensor').textContent),
                                         reading.source, { timeout: 3000, polling: 50 });
        const first = await sensorPage.textContent('#sensor');
        // the simulated room warms up: the next reading differs and arrives by itself
        await sensorPage.waitForFunction((was) => document.getElementById('sensor').textContent !== was,
                                         first, { timeout: 5000, polling: 50 });
        assert.match(await sensorPage.textContent('#sensor'), reading);
    } finally {
        await sensorPage.close();
    }
});

test('both LEDs change state', { timeout: 8000 }, async () => {
    const since = await flips();
    // Blue toggles every 0.5 s, green every 2 s.
    await Promise.all([waitForFlips(19, since, 2, 3000), waitForFlips(20, since, 1, 5000)]);
});

test('switching blue off stops it, green keeps blinking', { timeout: 10000 }, async () => {
    await page.click('#btn19');
    await waitForBlinking(19, false);
    await page.waitForFunction(() => document.getElementById('led19').dataset.state === '0',
                               null, { timeout: 2000, polling: 50 });
    const since = await flips();
    // 2.5 s is five blue periods and more than one green period.
    await Promise.all([sleep(2500), waitForFlips(20, since, 1, 4000)]);
    const now = await flips();
    assert.equal(now[19], since[19], 'blue changed while switched off');
    assert.equal(await page.getAttribute('#led19', 'data-state'), '0');
});

test('switching blue on makes it blink again', { timeout: 10000 }, async () => {
    await page.click('#btn19');
    await waitForBlinking(19, true);
    const since = await flips();
    await Promise.all([waitForFlips(19, since, 2, 3000), waitForFlips(20, since, 1, 5000)]);

    // One picture for a human to check, ideally with both LEDs lit.
    await page.waitForFunction(() => ['led19', 'led20'].every(
        (id) => document.getElementById(id).dataset.state === '1'), null, { timeout: 4500, polling: 20 })
        .catch(() => {});
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'webserver.png') });
});
