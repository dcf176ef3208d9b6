// Paper entry: after a digit 1-4 in an answer box, move to the next box, so a typist enters
// a questionnaire's nine answers as nine keystrokes. Without JavaScript, Tab does the same.
(function () {
  var boxes = document.querySelectorAll(".answers input");
  Array.prototype.forEach.call(boxes, function (box, i) {
    box.addEventListener("input", function () {
      if (/^[1-4]$/.test(box.value) && i + 1 < boxes.length) { boxes[i + 1].focus(); }
    });
  });
})();
