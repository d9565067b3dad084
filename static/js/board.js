// The schedule board's drag and drop and its keyboard equivalent. Both post the seminar's own move form
// (the no-JavaScript way) with fetch and read the JSON answer {ok, code, message, needs_confirm, confirm,
// affected, redirect}: a saved move reloads the board (which shows and focuses the message), a refused one
// leaves the seminar where it was and says why, one that people who booked will notice asks first.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var table = document.querySelector("[data-board]");
  var pool = document.querySelector("[data-pool]");
  var status = document.getElementById("board-status");
  var confirmBox = document.getElementById("board-confirm");
  if (!table || !pool || !status) { return; }

  var rooms = Array.prototype.map.call(table.querySelectorAll("thead th[data-room]"), function (th) {
    return { id: th.getAttribute("data-room"), name: th.getAttribute("data-room-name"), seats: th.getAttribute("data-seats") };
  });
  var slots = Array.prototype.map.call(table.querySelectorAll("tbody th[data-slot]"), function (th) {
    return th.getAttribute("data-slot");
  });
  var items = document.querySelectorAll(".board-item[data-seminar]");

  function text(name, values) {
    var template = status.getAttribute("data-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values && key in values ? values[key] : all; });
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("is-error", !!isError);
  }

  function speakersOf(item) {
    return (item.getAttribute("data-speakers") || "").split(" ").filter(Boolean);
  }

  // While a seminar is held, the other seminars of its speakers light up and are named.
  function showSpeakers(item, on) {
    var mine = speakersOf(item);
    items.forEach(function (other) {
      var shares = on && other !== item && speakersOf(other).some(function (id) { return mine.indexOf(id) !== -1; });
      other.classList.toggle("shares-speaker", shares);
    });
    item.classList.toggle("is-picked", on);
  }

  function elsewhere(item) {
    var note = item.querySelector(".board-elsewhere");
    return note ? " " + note.textContent.trim() : "";
  }

  function clearTargets() {
    document.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  }

  function refused(item, message) {
    say(message, true);
    item.classList.remove("snapped");
    void item.offsetWidth;  // restart the snap-back animation
    item.classList.add("snapped");
    status.focus();
  }

  function askConfirm(answer, yes, no) {
    var message = document.getElementById("board-confirm-message");
    message.textContent = answer.message;
    confirmBox.hidden = false;
    confirmBox.focus();
    var yesButton = confirmBox.querySelector("[data-confirm-yes]");
    var noButton = confirmBox.querySelector("[data-confirm-no]");
    function close() {
      confirmBox.hidden = true;
      yesButton.removeEventListener("click", onYes);
      noButton.removeEventListener("click", onNo);
    }
    function onYes() { close(); yes(); }
    function onNo() { close(); no(); }
    yesButton.addEventListener("click", onYes);
    noButton.addEventListener("click", onNo);
  }

  function post(item, target, confirm) {
    var form = item.querySelector("form[data-move-form]");
    var data = new FormData(form);
    if (target.pool) {
      data.set("action", "pool");
    } else {
      data.set("action", "move");
      data.set("room", target.room);
      data.set("start", target.start);
      data.set("day", table.getAttribute("data-day"));
    }
    (confirm || []).forEach(function (code) { data.append("confirm", code); });
    say(text("saving"));
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (answer.ok) {
        window.location.assign(answer.redirect);
      } else if (answer.needs_confirm) {
        askConfirm(answer, function () { post(item, target, answer.confirm); }, function () {
          say(text("cancelled"));
          (item.querySelector("[data-grab]") || status).focus();
        });
      } else {
        refused(item, answer.message);
      }
    }).catch(function () {
      refused(item, text("failed"));
    });
  }

  // Drag and drop (HTML5): onto a room at a row's time, or into the pool.
  var dragged = null;
  items.forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-seminar"));
      showSpeakers(item, true);  // nothing is written into the page here: a layout shift would move the targets
    });
    item.addEventListener("dragend", function () {
      showSpeakers(item, false);
      clearTargets();
      dragged = null;
    });
  });

  function targetOf(element) {
    var cell = element.closest("td[data-room]");
    if (cell && table.contains(cell)) {
      return { element: cell, room: cell.getAttribute("data-room"), start: cell.getAttribute("data-start") };
    }
    if (element.closest("[data-pool]")) { return { element: pool, pool: true }; }
    return null;
  }

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var target = targetOf(event.target);
    if (!target) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!target.element.classList.contains("drop-target")) {
      clearTargets();
      target.element.classList.add("drop-target");
    }
  });
  document.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var target = targetOf(event.target);
    if (!target) { return; }
    event.preventDefault();
    var item = dragged;
    showSpeakers(item, false);
    clearTargets();
    dragged = null;
    post(item, target);
  });

  // The keyboard: "Pick up", arrows to a room (left of the first is the pool) and a time, Enter to drop.
  var held = null;  // {item, col, row}; col -1 is the pool

  function describe() {
    if (held.col < 0) { return text("pool-target"); }
    var room = rooms[held.col];
    return text("at", { room: room.name, seats: room.seats, time: slots[held.row] });
  }

  function highlight() {
    clearTargets();
    if (held.col < 0) {
      pool.classList.add("drop-target");
      return;
    }
    var cell = table.querySelector('td[data-room="' + rooms[held.col].id + '"][data-start="' + slots[held.row] + '"]');
    if (cell) { cell.classList.add("drop-target"); }
  }

  function pickUp(item) {
    var col = -1;
    rooms.forEach(function (room, i) { if (room.id === item.getAttribute("data-room")) { col = i; } });
    var row = Math.max(0, slots.indexOf(item.getAttribute("data-start")));
    if (item.closest("[data-pool]")) { col = 0; }
    held = { item: item, col: col, row: row };
    showSpeakers(item, true);
    highlight();
    say(text("picked", { title: item.getAttribute("data-title") }) + " " + describe() + "." + elsewhere(item));
  }

  function putDown(drop) {
    var item = held.item;
    var target = held.col < 0 ? { pool: true } : { room: rooms[held.col].id, start: slots[held.row] };
    showSpeakers(item, false);
    clearTargets();
    held = null;
    if (drop) {
      post(item, target);
    } else {
      say(text("cancelled"));
    }
  }

  items.forEach(function (item) {
    var grab = item.querySelector("[data-grab]");
    if (!grab) { return; }
    grab.hidden = false;
    grab.addEventListener("click", function () {
      if (held && held.item === item) {
        putDown(true);
      } else {
        if (held) { putDown(false); }
        pickUp(item);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (!held) { return; }
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key in moves) {
      event.preventDefault();
      var move = moves[event.key];
      held.col = Math.min(rooms.length - 1, Math.max(-1, held.col + move[0]));
      held.row = Math.min(slots.length - 1, Math.max(0, held.row + move[1]));
      highlight();
      say(describe());
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      putDown(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      putDown(false);
    }
  });
});
