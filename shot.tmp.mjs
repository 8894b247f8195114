import puppeteer from 'puppeteer';
const b = await puppeteer.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run']});
const p = await b.newPage(); await p.setViewport({width:400,height:600});
await p.goto('file:///tmp/ex2/OEBPS/cover.jpg'); await p.screenshot({path:'/tmp/cover.png'}); await b.close();
