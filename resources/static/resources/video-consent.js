/* Click-to-load for YouTube and Vimeo: the page holds only a notice saying where the video
   comes from; the player (and with it any contact with the video service) is loaded when the
   person presses play. Without JavaScript the notice's link opens the video on its own site. */
(function () {
  "use strict";

  function load(container) {
    var player = document.createElement("iframe");
    player.src = container.dataset.playerUrl;
    player.title = container.dataset.playerTitle;
    player.allow = "autoplay; fullscreen; picture-in-picture";
    player.allowFullscreen = true;
    player.referrerPolicy = "strict-origin-when-cross-origin";
    container.classList.remove("video-consent");
    container.replaceChildren(player);
    player.focus();
  }

  document.querySelectorAll(".video-consent").forEach(function (container) {
    var button = container.querySelector("[data-video-play]");
    button.hidden = false;
    button.addEventListener("click", function () { load(container); });
  });
})();
