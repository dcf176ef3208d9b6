// Paper entry: after a digit within a box's pattern ([1-4]; [1-6] for SPKP/SPAK on six
// points), move to the next box: nine answers are nine keystrokes. Without JavaScript, Tab
// does the same.
(function () {
  var boxes = document.querySelectorAll(".answers input");
  Array.prototype.forEach.call(boxes, function (box, i) {
    box.addEventListener("input", function () {
      if (RegExp("^" + box.pattern + "$").test(box.value) && boxes[i + 1]) boxes[i + 1].focus();
    });
  });
})();
