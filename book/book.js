// The book's own script (python -m analysis report): a filter box above every table with the
// class "filterable" (the ledger). Loads nothing; works from file://.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.filterable").forEach(function (table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var input = document.createElement("input");
    input.type = "search";
    input.className = "table-filter";
    input.placeholder = "Filter the " + rows.length + " rows (any text: claim, source, status, note)";
    input.setAttribute("aria-label", "Filter the table");
    var anchor = table.closest(".pst-scrollable-table-container") || table;
    anchor.parentNode.insertBefore(input, anchor);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      rows.forEach(function (row) {
        row.style.display = !q || row.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  });
});
