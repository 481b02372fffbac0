import { describe, expect, it } from 'vitest';
import { extractOpenGraph } from './opengraph.ts';
import { page } from './test-helpers.ts';

describe('extractOpenGraph', () => {
  it('reads OpenGraph and product meta tags', () => {
    const html = `<head>
      <meta property="og:title" content="Steel Kettle">
      <meta property="og:description" content="Boils fast &amp; quietly.">
      <meta property="og:image" content="/img/a.jpg">
      <meta property="og:image" content="https://cdn.example/b.jpg">
      <meta property="product:price:amount" content="29.90">
      <meta property="product:price:currency" content="EUR">
      <meta property="product:availability" content="in stock">
      <meta property="product:brand" content="Boilex">
      <meta property="product:retailer_item_id" content="K-17">
    </head>`;
    expect(extractOpenGraph(page(html))).toEqual({
      title: 'Steel Kettle',
      description: 'Boils fast & quietly.',
      images: ['https://shop.example/img/a.jpg', 'https://cdn.example/b.jpg'],
      price: '29.90',
      currency: 'EUR',
      availability: 'in stock',
      brand: 'Boilex',
      sku: 'K-17',
    });
  });

  it('accepts name= instead of property= and og:price:amount', () => {
    const html =
      '<meta name="og:title" content="Mug"><meta name="og:price:amount" content="4.5"><meta name="og:price:currency" content="GBP">';
    expect(extractOpenGraph(page(html))).toEqual({ title: 'Mug', price: '4.5', currency: 'GBP' });
  });

  it('returns null without meta tags', () => {
    expect(extractOpenGraph(page('<p>nothing</p>'))).toBeNull();
    expect(extractOpenGraph(page('<meta charset="utf-8">'))).toBeNull();
  });

  it('drops non-http images', () => {
    const html =
      '<meta property="og:image" content="javascript:alert(1)"><meta property="og:image" content="data:image/png;base64,AA">';
    expect(extractOpenGraph(page(html))).toBeNull();
  });
});
