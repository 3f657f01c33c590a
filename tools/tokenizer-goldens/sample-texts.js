// The texts of data/rutweetcorp-sample's CSV files (header text,label; no quoting), for
// the WordPiece trainer's tools.
'use strict';
const fs = require('fs');
const path = require('path');

const sample = path.resolve(__dirname, '../../data/rutweetcorp-sample');

function sampleTexts(file) {
  const lines = fs.readFileSync(path.join(sample, file), 'utf8').split('\n').slice(1);
  return lines.filter((l) => l !== '').map((l) => l.slice(0, l.lastIndexOf(',')));
}

module.exports = {sample, sampleTexts};
