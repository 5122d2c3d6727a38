"""Cards after recording: the print queue, the forward view, handover batches, receipts."""
