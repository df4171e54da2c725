import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { applyEhrStyle, cssVariablesFromStyle } from './style.ts';
import { mswServer } from '../testing/msw.ts';

describe('cssVariablesFromStyle', () => {
  it('maps the SMART style fields onto CSS custom properties', () => {
    expect(
      cssVariablesFromStyle({
        color_background: '#edeae3',
        color_highlight: '#7a1f5c',
        color_text: 'rgb(20, 20, 20)',
        dim_border_radius: '6px',
        dim_font_size: 14,
        dim_spacing_size: '20',
        font_family_body: "Georgia, Times, 'Times New Roman', serif",
      }),
    ).toEqual({
      '--ehr-color-background': '#edeae3',
      '--ehr-color-highlight': '#7a1f5c',
      '--ehr-color-text': 'rgb(20, 20, 20)',
      '--ehr-dim-border-radius': '6px',
      '--ehr-dim-font-size': '14px',
      '--ehr-dim-spacing-size': '20px',
      '--ehr-font-family-body': "Georgia, Times, 'Times New Roman', serif",
    });
  });

  it('drops values that could inject CSS and fields it does not know', () => {
    expect(
      cssVariablesFromStyle({
        color_background: 'red; background-image: url(https://evil.test/x)',
        color_error: 'url(https://evil.test/x)',
        font_family_heading: 'x; } body { display: none',
        color_unknown: '#000000',
      }),
    ).toEqual({});
  });

  it('returns nothing for a broken style document', () => {
    expect(cssVariablesFromStyle(null)).toEqual({});
    expect(cssVariablesFromStyle('not json')).toEqual({});
    expect(cssVariablesFromStyle([1, 2])).toEqual({});
  });
});

describe('applyEhrStyle', () => {
  it('applies a colour from the style URL to the document', async () => {
    mswServer.use(
      http.get('https://ehr.test/style.json', () => HttpResponse.json({ color_highlight: '#7a1f5c' })),
    );
    const root = document.createElement('div');
    expect(await applyEhrStyle('https://ehr.test/style.json', root)).toBe(true);
    expect(root.style.getPropertyValue('--ehr-color-highlight')).toBe('#7a1f5c');
  });

  it('keeps the default theme when the style URL fails', async () => {
    mswServer.use(http.get('https://ehr.test/style.json', () => new HttpResponse('nope', { status: 500 })));
    const root = document.createElement('div');
    expect(await applyEhrStyle('https://ehr.test/style.json', root)).toBe(false);
    expect(root.getAttribute('style')).toBeNull();
  });
});
