// Vite's `?url` imports: the file is bundled as an asset of the app and its URL returned.
declare module '*?url' {
  const url: string;
  export default url;
}
