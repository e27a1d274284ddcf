"""Assets (quản lý tài sản, issue 16): so far the labels of tagged assets (`hub.assets.labels`);
the EPC codec and the asset EPC rule live in `protocol.epc`, shared with the edge agent."""
