// Marp CLI's settings for the talk (used by the Makefile through --config).
// Everything renders offline: no math fonts or emoji images from a CDN.
export default {
  html: true,
  allowLocalFiles: false,
  themeSet: ['theme/mvrc.css'],
  options: {
    math: false,
    emoji: { shortcode: false, unicode: false },
    minifyCSS: false,
  },
  bespoke: { progress: true, transition: false },
};
