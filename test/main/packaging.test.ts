// What a deb/AppImage build needs from the repository: package metadata, the electron-builder
// config, and an icon set that decodes at the sizes its names claim and is what the committed
// script draws.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { iconPng, LINUX_SIZES, SOURCE_SIZE } from '../../build/make-icons';
import { APP_NAME } from '../../src/main/services/home';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
// electron-builder reads its YAML with js-yaml; load that same parser through it.
const yaml = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('package metadata', () => {
  it('names the product "Conv Lab", so Electron userData is the folder home.ts computes', () => {
    expect(pkg.productName).toBe(APP_NAME);
    expect(config.productName).toBe(APP_NAME);
  });

  it('has what a deb needs: maintainer email, https homepage, description; desktopName follows the appId', () => {
    expect(pkg.author).toMatchObject({ name: expect.any(String), email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/) });
    expect(String(pkg.homepage)).toMatch(/^https:\/\//);
    expect(String(pkg.description).length).toBeGreaterThan(20);
    expect(pkg.desktopName).toBe(`${config.appId}.desktop`);
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'Science', icon: 'icons', syncDesktopName: true });
    expect(config).not.toHaveProperty('asarUnpack');
  });

  it('packages the window icon that src/main/index.ts loads', () => {
    expect(config.files).toContain('build/icons/256x256.png');
  });
});

describe('icons', () => {
  const iconsDir = path.join(repoRoot, config.directories.buildResources, config.linux.icon);

  it('has the Linux set at every size, square RGBA, named by size', () => {
    expect(readdirSync(iconsDir).sort()).toEqual(LINUX_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const size of LINUX_SIZES) {
      const png = decode(readFileSync(path.join(iconsDir, `${size}x${size}.png`)));
      expect([png.width, png.height, png.channels, png.depth]).toEqual([size, size, 4, 8]);
    }
  });

  it('has a 1024 px source for the macOS and Windows icons, transparent corners, opaque middle', () => {
    const png = decode(readFileSync(path.join(repoRoot, 'build', 'icon.png')));
    expect([png.width, png.height, png.channels]).toEqual([SOURCE_SIZE, SOURCE_SIZE, 4]);
    const alpha = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(SOURCE_SIZE - 1, SOURCE_SIZE - 1)).toBe(0);
    expect(alpha(SOURCE_SIZE / 2, SOURCE_SIZE / 2)).toBe(255);
    expect(existsSync(path.join(repoRoot, 'build', 'make-icons.ts'))).toBe(true);
  });

  it('the committed PNGs are what build/make-icons.ts draws (small sizes redrawn here)', () => {
    for (const size of [16, 32, 48, 64]) {
      expect(Buffer.from(iconPng(size)).equals(readFileSync(path.join(iconsDir, `${size}x${size}.png`)))).toBe(true);
    }
  });
});
