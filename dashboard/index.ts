export { renderErrorPage } from './pages/Error.tsx';
export { dashboardRoutes } from './routes.tsx';
