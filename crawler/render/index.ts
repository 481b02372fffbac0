export {
  BrowserRenderer,
  type BrowserRendererOptions,
  CHROMIUM_ARGS,
  RenderBlockedError,
  type RenderOptions,
  type RenderResult,
  RenderTimeoutError,
} from './browser.ts';
export {
  evidenceFrom,
  type PageEvidence,
  RenderDecider,
  type RenderDeciderOptions,
  type RenderDecision,
  rendersMore,
} from './decider.ts';
export { pageKind } from './page-kind.ts';
