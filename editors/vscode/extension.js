// Starts `journeyql lsp` (stdio) for .jql files; everything the editor knows comes from that server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("journeyql.server");
  const executable = {
    command: settings.get("command", "journeyql"),
    args: settings.get("args", ["lsp"]),
  };
  client = new LanguageClient(
    "journeyql",
    "JourneyQL",
    { run: executable, debug: executable },
    {
      documentSelector: [{ scheme: "file", language: "journeyql" }, { scheme: "untitled", language: "journeyql" }],
      // journeyql.toml changes the rules of a whole workspace: the server re-checks when it changes
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{journeyql.toml,*.jql}") },
    },
  );
  context.subscriptions.push(
    vscode.commands.registerCommand("journeyql.restartServer", () => client.restart()),
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
