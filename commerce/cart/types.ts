// The cart's types for views (dashboard/): types only.
export type { CartGroup, CartLineView, CartView } from './cart.ts';
