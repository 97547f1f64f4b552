-- Neovim's own LSP client against `bumplox lsp`, run by tests/nvim.rs:
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/nvim/session.lua'
-- with BUMPLOX_BIN (the binary), BUMPLOX_NVIM_FILE (a copy of
-- tests/nvim/program.lox) and BUMPLOX_NVIM_OUT (where to write what it saw).
-- Each step below writes lines to the report; a step that fails writes
-- `error: ...` and the session exits with status 1. Works on Neovim 0.7
-- (`start_client`) and later (`vim.lsp.start`).

local report = {}
local function say(line)
  table.insert(report, line)
end

local function finish(status)
  vim.fn.writefile(report, os.getenv("BUMPLOX_NVIM_OUT"))
  if status == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit! " .. status)
  end
end

local function wait_for(what, condition)
  if not vim.wait(20000, condition, 20) then
    error("timed out waiting for " .. what)
  end
end

local function buffer_lines()
  return vim.api.nvim_buf_get_lines(0, 0, -1, false)
end

local function place_cursor(line, text)
  -- The cursor goes on the first `text` in 1-based line `line`.
  local column = string.find(buffer_lines()[line], text, 1, true)
  vim.api.nvim_win_set_cursor(0, { line, column - 1 })
end

local steps = {
  function()
    local buffer = vim.api.nvim_get_current_buf()
    wait_for("diagnostics", function()
      return #vim.diagnostic.get(buffer) > 0
    end)
    for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
      local first_line = diagnostic.message:gsub("\n.*", "")
      say(string.format("diagnostic %d:%d %s", diagnostic.lnum + 1, diagnostic.col + 1, first_line))
    end
  end,
  function()
    place_cursor(5, "count")
    vim.lsp.buf.definition()
    wait_for("the jump to the definition", function()
      return vim.api.nvim_win_get_cursor(0)[1] ~= 5
    end)
    local cursor = vim.api.nvim_win_get_cursor(0)
    say(string.format("definition %d:%d", cursor[1], cursor[2] + 1))
  end,
  function()
    vim.lsp.buf.rename("total")
    wait_for("the rename", function()
      return buffer_lines()[2]:find("total", 1, true) ~= nil
    end)
    say("after rename:")
    for _, line in ipairs(buffer_lines()) do
      say("  " .. line)
    end
  end,
  function()
    -- A file with syntax errors is not formatted: fix the last line first.
    local last = #buffer_lines()
    vim.api.nvim_buf_set_lines(0, last - 1, last, false, { "print total+1;" })
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ async = false, timeout_ms = 10000 })
    else
      vim.lsp.buf.formatting_sync(nil, 10000)
    end
    wait_for("the formatting", function()
      return buffer_lines()[2] == "var total = 0;"
    end)
    say("after formatting:")
    for _, line in ipairs(buffer_lines()) do
      say("  " .. line)
    end
  end,
}

local ok, failure = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("BUMPLOX_NVIM_FILE")))
  local config = {
    name = "bumplox",
    cmd = { os.getenv("BUMPLOX_BIN"), "lsp" },
    root_dir = vim.fn.getcwd(),
  }
  if vim.lsp.start then
    vim.lsp.start(config)
  else
    local client = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(0, client)
  end
  for _, step in ipairs(steps) do
    step()
  end
end)
if not ok then
  say("error: " .. tostring(failure))
  finish(1)
else
  finish(0)
end
