export * from './PlatformPage';
